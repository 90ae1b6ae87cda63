import { multiplySymmetric, sparseSymmetric } from '../src/detectors/linalg/sparseSymmetric.ts';
import { tridiagonalEigen } from '../src/detectors/linalg/symmetricEigen.ts';
import { dot, axpy } from '../src/detectors/linalg/vectorOps.ts';
const N = 1000, E = 5000; const src = [], dst = [], w = [];
for (let e = 0; e < E; e++) { src.push(Math.floor(Math.random() * N)); dst.push(Math.floor(Math.random() * N)); w.push(Math.random()); }
const m = sparseSymmetric(N, src, dst, w); const x = new Float64Array(N).fill(1), y = new Float64Array(N);
for (let rep = 0; rep < 3; rep++) { let t0 = performance.now(); for (let i = 0; i < 10000; i++) multiplySymmetric(m, x, y); console.log('matvec µs', (performance.now() - t0) / 10); }
let t0 = performance.now(); let s = 0; for (let i = 0; i < 100000; i++) { s += dot(x, y); axpy(0.1, x, y); } console.log('dot+axpy µs', (performance.now() - t0) / 100, s > 0);
for (const k of [6, 12, 18, 24]) { const d = Float64Array.from({ length: k }, () => Math.random()); const e = Float64Array.from({ length: k - 1 }, () => Math.random()); t0 = performance.now(); for (let i = 0; i < 2000; i++) tridiagonalEigen(d, e); console.log('tri', k, 'µs', (performance.now() - t0) / 2); }
