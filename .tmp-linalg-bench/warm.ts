import { principalEigenvector, sparseSymmetric } from '../src/detectors/linalg/index.ts';
const n = 60;
const m = sparseSymmetric(n, Array.from({ length: n - 1 }, (_, i) => i), Array.from({ length: n - 1 }, (_, i) => i + 1), new Array(n - 1).fill(1));
const cold = principalEigenvector(m);
console.log(cold.products, cold.residual, cold.value);
for (const tol of [1e-6, 1e-8, 1e-10]) { const warm = principalEigenvector(m, { start: cold.vector, tolerance: tol }); console.log(tol, warm.products, warm.residual); }
const exact = Float64Array.from({ length: n }, (_, i) => Math.sin(((i + 1) * Math.PI) / (n + 1)));
const w2 = principalEigenvector(m, { start: exact }); console.log('exact start', w2.products, w2.residual);
