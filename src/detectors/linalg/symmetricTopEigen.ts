import { householderReduce, symmetricEigen, transposedCopy } from './symmetricEigen.ts';
import { tql2 } from './tridiagonal.ts';
import { tridiagonalEigenvector } from './tridiagonalEigenvector.ts';

/** Below this size the top-only solve falls back to the whole one (cheap there, and bit for bit as before). */
const TOP_ONLY_FROM = 64;
/** A top eigenvalue within this relative distance of the next has no well-defined vector: the whole solve picks it, as before. */
const TOP_GAP = 1e-8;

/**
 * Every eigenvalue (descending, bit for bit symmetricEigen's: the same reduction and the same
 * QL arithmetic on the diagonals) and the top eigenvector only: the eigenvector of the
 * tridiagonal matrix by inverse iteration (tridiagonalEigenvector), carried back through the
 * Householder reflections (O(n²)), instead of accumulating every reflection and every QL
 * rotation into all n vectors (O(n³), most of the solve). The vector agrees with the whole
 * solve's to rounding (up to sign); a matrix under TOP_ONLY_FROM, or whose top eigenvalue is
 * (nearly) tied, takes the whole solve.
 */
export function symmetricTopEigen(a: Float64Array, n: number): { values: Float64Array; top: Float64Array } {
  if (n < TOP_ONLY_FROM) {
    const whole = symmetricEigen(a, n);
    return { values: whole.values, top: whole.vectors[0] ?? new Float64Array(0) };
  }
  if (a.length < n * n) throw new RangeError(`symmetricTopEigen: matrix has ${a.length} entries, need ${n * n}`);
  const w = transposedCopy(a, n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  householderReduce(w, d, e, n);
  const h = d.slice();
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = w[i * n + i]!;
  const sub = e.slice(1);
  d.set(diag);
  e[0] = 0;
  tql2(undefined, d, e, n);
  const values = d.sort().reverse();
  if (!(values[0]! - values[1]! > TOP_GAP * Math.abs(values[0]!))) {
    const whole = symmetricEigen(a, n);
    return { values: whole.values, top: whole.vectors[0]! };
  }
  const top = tridiagonalEigenvector(diag, sub, values[0]!);
  // Q y, Q = H_{n−2}·…·H_0 as the accumulation forms it: reflection i + 1 (vector in w's row i + 1, entries ≤ i) applied first for i = 0.
  for (let i = 0; i < n - 1; i++) {
    const scale = h[i + 1]!;
    if (scale === 0) continue;
    const row = (i + 1) * n;
    let g = 0;
    for (let k = 0; k <= i; k++) g += w[row + k]! * top[k]!;
    for (let k = 0; k <= i; k++) top[k] = top[k]! - g * (w[row + k]! / scale);
  }
  return { values, top };
}
