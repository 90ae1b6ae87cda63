import { tridiagonalEigen, tridiagonalEigenvector, tridiagonalTop } from '../src/detectors/linalg/symmetricEigen.ts';
for (const n of [1, 2, 3, 7, 40, 64]) {
  let worst = 0;
  for (let rep = 0; rep < 50; rep++) {
    const d = Float64Array.from({ length: n }, () => Math.random() * 10 - 5); const e = Float64Array.from({ length: n - 1 }, () => (rep % 5 === 0 ? 1e-9 : Math.random() * 3));
    const full = tridiagonalEigen(d, e); const top = tridiagonalTop(d, e);
    const v = tridiagonalEigenvector(d, e, full.values[0]!);
    const ref = full.vectors[0]!; const sgn = Math.sign(v.reduce((a, b, i) => a + b * ref[i]!, 0));
    const err = Math.hypot(...v.map((x, i) => x - sgn * ref[i]!));
    worst = Math.max(worst, err, Math.abs(top.value - full.values[0]!), Math.abs(Math.abs(top.lastComponent) - Math.abs(ref[n - 1]!)));
  }
  console.log(n, worst);
}
