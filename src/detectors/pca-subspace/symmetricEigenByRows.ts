import { tridiagonalEigenvector, type SymmetricEigen } from '../linalg/index.ts';

/**
 * linalg's symmetricEigen (Householder tred2, then implicit QL tql2, as EISPACK and JAMA), the
 * same arithmetic in the same order, on the transposed working matrix: W[j·n + k] here is
 * V[k·n + j] there, so the eigenvectors end up in W's rows and every inner loop that walked a
 * column of V (stride n: the Givens rotations of tql2, the accumulation of tred2) walks a row of
 * W, contiguous. Same values and vectors, bit for bit (tested against symmetricEigen). Measured
 * in a whole replay of the connection log (215 × 215, fitted 11 times) it saves little, ~5 %
 * (such a matrix stays in cache either way); its reduction, split out, is what symmetricTopEigen
 * builds on. Only for exactly symmetric input (W starts as a, which must equal aᵀ), as
 * pca-subspace's Gram and covariance matrices are.
 */
export function symmetricEigenByRows(a: Float64Array, n: number): SymmetricEigen {
  if (a.length < n * n) throw new RangeError(`symmetricEigenByRows: matrix has ${a.length} entries, need ${n * n}`);
  if (n === 0) return { values: new Float64Array(0), vectors: [] };
  const w = Float64Array.from(a.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(w, d, e, n);
  tql2(w, d, e, n);
  return sortDescending(w, d, n);
}

/** Below this size the top-only solve falls back to the whole one (cheap there, and bit for bit as before). */
const TOP_ONLY_FROM = 64;
/** A top eigenvalue within this relative distance of the next has no well-defined vector: the whole solve picks it, as before. */
const TOP_GAP = 1e-8;

/**
 * Every eigenvalue (descending, bit for bit symmetricEigenByRows's: the same reduction and the
 * same QL arithmetic on the diagonals) and the top eigenvector only: the eigenvector of the
 * tridiagonal matrix by inverse iteration (linalg's tridiagonalEigenvector), carried back
 * through the Householder reflections (O(n²)), instead of accumulating every reflection and
 * every QL rotation into all n vectors (O(n³), most of the solve). The vector agrees with the
 * whole solve's to rounding (up to sign); a matrix under TOP_ONLY_FROM, or whose top eigenvalue
 * is (nearly) tied, takes the whole solve.
 */
export function symmetricTopEigen(a: Float64Array, n: number): { values: Float64Array; top: Float64Array } {
  if (n < TOP_ONLY_FROM) {
    const whole = symmetricEigenByRows(a, n);
    return { values: whole.values, top: whole.vectors[0] ?? new Float64Array(0) };
  }
  const w = Float64Array.from(a.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  reduce(w, d, e, n);
  const h = d.slice();
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = w[i * n + i]!;
  const sub = e.slice(1);
  d.set(diag);
  e[0] = 0;
  tql2(undefined, d, e, n);
  const values = d.sort().reverse();
  if (!(values[0]! - values[1]! > TOP_GAP * Math.abs(values[0]!))) {
    const whole = symmetricEigenByRows(a, n);
    return { values: whole.values, top: whole.vectors[0]! };
  }
  const top = tridiagonalEigenvector(diag, sub, values[0]!);
  // Q y, Q = H_{n−2}·…·H_0 as accumulate forms it: reflection i + 1 (vector in w's row i + 1, entries ≤ i) applied first for i = 0.
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

// W[j * n + k] is written out (not through a local accessor), as in linalg: tsx wraps local
// closures in __name() and the wrapped closure was not inlined.
function tred2(W: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  reduce(W, d, e, n);
  accumulate(W, d, e, n);
}

/**
 * tred2's first half, the Householder reduction: T's diagonal is left on W's diagonal, its
 * sub-diagonal in e[1..n) (T[i][i − 1]), reflection i's vector in W's row i (entries < i) and
 * its h in d[i].
 */
function reduce(W: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
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

/** linalg's tql2 with the rotations applied to rows i and i + 1 of W (columns of V there); without W, the eigenvalues alone (the same arithmetic on d and e). */
function tql2(W: Float64Array | undefined, d: Float64Array, e: Float64Array, n: number): void {
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
        if (++iterations > 60) throw new Error('symmetricEigenByRows: QL iteration did not converge');
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

/** √(a² + b²) without overflow, as linalg's (Math.hypot is several times slower in V8). */
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

/** Eigenpairs, largest value first (a stable insertion sort: ties keep index order, as linalg's). */
function sortDescending(w: Float64Array, d: Float64Array, n: number): SymmetricEigen {
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
