import { principalEigenvector } from '../src/detectors/linalg/principalEigenvector.ts';
import { sparseSymmetric } from '../src/detectors/linalg/sparseSymmetric.ts';
import { symmetricEigen } from '../src/detectors/linalg/symmetricEigen.ts';
import { mulberry } from './synth.ts';
const N = 1000, E = 5000;
const rnd = mulberry(9); const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-300)) * Math.cos(2 * Math.PI * rnd());
const src: number[] = [], dst: number[] = [], base: number[] = [];
for (let e = 0; e < E; e++) { const a = Math.floor(rnd() * (N - 1)); const b = a + 1 + Math.floor(rnd() * Math.min(50, N - 1 - a)); src.push(a); dst.push(b); base.push(Math.log1p(Math.exp(8 + 2 * gauss()))); }
const m = sparseSymmetric(N, src, dst, base);
const dense = new Float64Array(N * N); for (let k = 0; k < E; k++) { dense[src[k]! * N + dst[k]!]! += base[k]!; dense[dst[k]! * N + src[k]!]! += base[k]!; }
const e = symmetricEigen(dense, N); console.log('top eigenvalues', Array.from(e.values.slice(0, 5)).map(v => v.toFixed(3)), 'bottom', e.values[N - 1]);
for (const tol of [1e-6, 1e-9]) for (const steps of [24, 48, 80]) { const t0 = performance.now(); const r = principalEigenvector(m, { tolerance: tol, stepsPerCycle: steps }); console.log({ tol, steps, products: r.products, converged: r.converged, ms: performance.now() - t0, err: Math.abs(r.value - e.values[0]!) }); }
for (const tol of [1e-6, 1e-9]) for (const steps of [24, 48, 80]) { const t0 = performance.now(); const r = principalEigenvector(m, { tolerance: tol, stepsPerCycle: steps, reorthogonalize: false }); console.log('noreorth', { tol, steps, products: r.products, converged: r.converged, ms: performance.now() - t0, err: Math.abs(r.value - e.values[0]!), verr: Math.hypot(...r.vector.map((v, i) => v - e.vectors[0]![i]! * Math.sign(e.vectors[0]!.reduce((a, b) => a + b, 0)))) }); }
