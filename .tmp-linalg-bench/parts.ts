import { principalEigenvector, LanczosWorkspace } from '../src/detectors/linalg/principalEigenvector.ts';
import { sparseSymmetric } from '../src/detectors/linalg/sparseSymmetric.ts';
import { ActivityWindow } from '../src/detectors/eigenspaceWindow.ts';
import { mulberry } from './synth.ts';
const N = 1000, E = 5000, T = 600;
const rnd = mulberry(9); const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-300)) * Math.cos(2 * Math.PI * rnd());
const src: number[] = [], dst: number[] = [], base: number[] = [];
for (let e = 0; e < E; e++) { const a = Math.floor(rnd() * (N - 1)); const b = a + 1 + Math.floor(rnd() * Math.min(50, N - 1 - a)); src.push(a); dst.push(b); base.push(Math.exp(8 + 2 * gauss())); }
const weights = Array.from({ length: T }, (_, t) => Float64Array.from(base, (b) => Math.log1p(b * (1 + 0.2 * Math.sin(t / 50)) * Math.exp(0.2 * gauss()))));
const ws = new LanczosWorkspace(); const win = new ActivityWindow(10);
let start: Float64Array | undefined; let tBuild = 0, tEig = 0, tTyp = 0, products = 0;
const c0 = process.cpuUsage();
for (let t = 0; t < T; t++) {
  let t0 = performance.now(); const m = sparseSymmetric(N, src, dst, weights[t]!); tBuild += performance.now() - t0;
  t0 = performance.now(); if (win.size) win.typical(N); tTyp += performance.now() - t0;
  t0 = performance.now(); const r = principalEigenvector(m, { start, tolerance: 1e-9, workspace: ws }); tEig += performance.now() - t0; products += r.products;
  start = r.vector; win.push(r.vector);
}
console.log({ cpuMsPerFrame: process.cpuUsage(c0).user / 1000 / T, build: tBuild / T, eig: tEig / T, typical: tTyp / T, products: products / T });
