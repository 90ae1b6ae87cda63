import type { SymmetricEigen } from './symmetricEigen.ts';

// The implicit QL algorithm (EISPACK tql2) on a symmetric tridiagonal matrix, the second half
// of symmetricEigen. (Lanczos needs only the top eigenpair of its tridiagonal matrix: bisection
// and inverse iteration, in files of their own, get it in O(n).)

/**
 * Implicit QL on (d, e). The rotations are applied to rows i and i + 1 of the n×n W (the
 * transposed working matrix of symmetricEigen: JAMA's columns of V); without W, the eigenvalues
 * alone (the same arithmetic on d and e).
 */
export function tql2(W: Float64Array | undefined, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 60) throw new Error('symmetricEigen: QL iteration did not converge');
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          if (W !== undefined) rotate(W, i * n, (i + 1) * n, n, c, s);
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

/** Rows at `lo` and `hi` of W: hi ← s·lo + c·hi, lo ← c·lo − s·hi (old hi), element by element. */
function rotate(W: Float64Array, lo: number, hi: number, n: number, c: number, s: number): void {
  for (let k = 0; k < n; k++) {
    const h = W[hi + k]!;
    const v = W[lo + k]!;
    W[hi + k] = s * v + c * h;
    W[lo + k] = c * v - s * h;
  }
}

/** √(a² + b²) without overflow; Math.hypot is several times slower in V8 and this is the QL inner loop. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x < y) {
    const r = x / y;
    return y * Math.sqrt(1 + r * r);
  }
  if (x === 0) return 0;
  const r = y / x;
  return x * Math.sqrt(1 + r * r);
}

/** Eigenpairs from a tql2 result (eigenvectors in the rows of w), largest value first. */
export function sortDescending(w: Float64Array, d: Float64Array, n: number): SymmetricEigen {
  // A stable insertion sort on positions: n is the size of a small Gram or tridiagonal matrix,
  // where Array.from + sort(comparator) cost more than the decomposition (ties keep index order,
  // as the stable Array sort did).
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const value = d[k]!;
    let at = k;
    while (at > 0 && d[order[at - 1]!]! < value) {
      order[at] = order[at - 1]!;
      at--;
    }
    order[at] = k;
  }
  const values = new Float64Array(n);
  const vectors: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const row = order[k]!;
    values[k] = d[row]!;
    vectors.push(w.slice(row * n, (row + 1) * n));
  }
  return { values, vectors };
}
