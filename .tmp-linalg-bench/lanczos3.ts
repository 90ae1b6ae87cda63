import { principalEigenvector } from '../src/detectors/linalg/principalEigenvector.ts';
import { sparseSymmetric } from '../src/detectors/linalg/sparseSymmetric.ts';
import { mulberry } from './synth.ts';
const N = 1000, E = 5000, T = 500;
const rnd = mulberry(9); const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-300)) * Math.cos(2 * Math.PI * rnd());
const src: number[] = [], dst: number[] = [], base: number[] = [];
for (let e = 0; e < E; e++) { const a = Math.floor(rnd() * (N - 1)); const b = a + 1 + Math.floor(rnd() * Math.min(50, N - 1 - a)); src.push(a); dst.push(b); base.push(Math.exp(8 + 2 * gauss())); }
const mats = Array.from({ length: T }, () => sparseSymmetric(N, src, dst, base.map((b) => Math.log1p(b * Math.exp(0.2 * gauss())))));
for (const reorthogonalize of [false]) for (const tolerance of [1e-6]) for (const warm of [true]) {
  let start: Float64Array | undefined; let products = 0; let unconv = 0; const t0 = performance.now();
  for (const m of mats) { const r = principalEigenvector(m, { start: warm ? start : undefined, tolerance, reorthogonalize }); products += r.products; if (!r.converged) unconv++; start = r.vector; }
  console.log({ reorthogonalize, tolerance, warm, msPerFrame: ((performance.now() - t0) / T).toFixed(3), products: products / T, unconv });
}
