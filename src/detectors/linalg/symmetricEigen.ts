import { sortDescending, tql2 } from './tridiagonal.ts';

// Dense symmetric eigen-decomposition: Householder reduction to tridiagonal form (tred2),
// then the implicit QL algorithm (tql2), as in EISPACK and the public-domain JAMA library.
// O(n³) with a small constant, for the Gram/covariance matrices of the subspace detectors.
//
// JAMA's arithmetic in JAMA's order, on the transposed working matrix: W[j·n + k] here is JAMA's
// V[k·n + j], so the eigenvectors end up in W's rows and every inner loop that walks a column of
// V (stride n: the accumulation of tred2, the Givens rotations of tql2) walks a row of W,
// contiguous. Measured in a whole replay of the connection log (215 × 215, fitted 11 times) that
// saves ~5 % (such a matrix stays in cache either way). W starts as aᵀ (V starts as a), so the
// result is JAMA's bit for bit for any input, symmetric or not.

/** Eigenvalues in descending order, with unit eigenvectors (vectors[k] belongs to values[k]). */
export interface SymmetricEigen {
  readonly values: Float64Array;
  readonly vectors: readonly Float64Array[];
}

/**
 * Eigen-decomposition of the symmetric n×n matrix `a` (row-major; only symmetry is assumed,
 * both triangles are read). `a` is not modified.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (a.length < n * n) throw new RangeError(`symmetricEigen: matrix has ${a.length} entries, need ${n * n}`);
  if (n === 0) return { values: new Float64Array(0), vectors: [] };
  const w = transposedCopy(a, n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  householderReduce(w, d, e, n);
  accumulate(w, d, e, n);
  tql2(w, d, e, n);
  return sortDescending(w, d, n);
}

/** aᵀ as a new row-major n × n matrix (the working matrix W, see above). */
export function transposedCopy(a: Float64Array, n: number): Float64Array {
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w[j * n + i] = a[i * n + j]!;
  return w;
}

// W[j * n + k] is written out rather than through a local `at(j, k)`: tsx keeps function names by
// wrapping each local closure in a __name() call, and the wrapped closure was not inlined here.

/**
 * tred2's first half, the Householder reduction: T's diagonal is left on W's diagonal, its
 * sub-diagonal in e[1..n) (T[i][i − 1]), reflection i's vector in W's row i (entries < i) and
 * its h in d[i].
 */
export function householderReduce(W: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = W[j * n + n - 1]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = W[j * n + i - 1]!;
        W[j * n + i] = 0;
        W[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        W[i * n + j] = f;
        const row = j * n;
        g = e[j]! + W[row + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += W[row + k]! * d[k]!;
          e[k] = e[k]! + W[row + k]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        const row = j * n;
        for (let k = j; k <= i - 1; k++) W[row + k] = W[row + k]! - (f * e[k]! + g * d[k]!);
        d[j] = W[row + i - 1]!;
        W[row + i] = 0;
      }
    }
    d[i] = h;
  }
}

/** tred2's second half: W's rows become the columns of Q (the reflections accumulated), d the diagonal. */
function accumulate(W: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 0; i < n - 1; i++) {
    W[i * n + n - 1] = W[i * n + i]!;
    W[i * n + i] = 1;
    const h = d[i + 1]!;
    const next = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = W[next + k]! / h;
      for (let j = 0; j <= i; j++) {
        const row = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += W[next + k]! * W[row + k]!;
        for (let k = 0; k <= i; k++) W[row + k] = W[row + k]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) W[next + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = W[j * n + n - 1]!;
    W[j * n + n - 1] = 0;
  }
  W[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}
