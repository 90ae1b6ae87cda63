// One eigenvector of a symmetric tridiagonal matrix for a known eigenvalue, by inverse iteration.

/**
 * Scratch arrays for tridiagonalEigenvector, kept by a caller that solves many systems (the
 * Lanczos loop solves one per convergence check): six typed-array allocations cost more than
 * the O(n) solve itself at the sizes Lanczos produces.
 */
export class TridiagonalScratch {
  u0 = new Float64Array(0);
  u1 = new Float64Array(0);
  u2 = new Float64Array(0);
  mult = new Float64Array(0);
  swapped = new Uint8Array(0);
  x = new Float64Array(0);

  /** Make room for systems of size n (contents are overwritten by each solve). */
  fit(n: number): void {
    if (this.x.length >= n) return;
    const size = Math.max(n, 2 * this.x.length, 16);
    this.u0 = new Float64Array(size);
    this.u1 = new Float64Array(size);
    this.u2 = new Float64Array(size);
    this.mult = new Float64Array(size);
    this.swapped = new Uint8Array(size);
    this.x = new Float64Array(size);
  }
}

/**
 * Unit eigenvector of a symmetric tridiagonal matrix for a known eigenvalue `value`, by two
 * steps of inverse iteration: solve (T − value·I) x = b with Gaussian elimination and
 * partial pivoting (O(n)); a pivot that vanishes because `value` is exact is nudged to a
 * tiny number, which only makes the solve more decisive.
 *
 * `size` solves the leading block of that size instead (diag and sub may be longer). With
 * `scratch` the result is the scratch's own array, its first `size` entries (valid until the
 * scratch is used again; no view is made, at 3 solves per Lanczos call); without, a fresh one.
 */
export function tridiagonalEigenvector(diag: Float64Array, sub: Float64Array, value: number, scratch?: TridiagonalScratch, size = diag.length): Float64Array {
  const n = size;
  const s = scratch ?? new TridiagonalScratch();
  s.fit(n);
  const x = s.x;
  const initial = n <= 1 ? 1 : 1 / Math.sqrt(n);
  for (let i = 0; i < n; i++) x[i] = initial;
  if (n <= 1) return scratch ? x : x.slice(0, n);
  let scale = Math.abs(value);
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(diag[i]!), i < n - 1 ? Math.abs(sub[i]!) : 0);
  const tiny = (scale || 1) * 2 ** -52;
  // U has up to two super-diagonals after pivoting; `swapped[i]`: rows i and i+1 exchanged.
  const { u0, u1, u2, mult, swapped } = s;
  let a = diag[0]! - value;
  let b = sub[0]!;
  let c = 0;
  for (let i = 0; i < n - 1; i++) {
    const below = sub[i]!;
    const nextDiag = diag[i + 1]! - value;
    const nextSup = i + 1 < n - 1 ? sub[i + 1]! : 0;
    if (Math.abs(below) > Math.abs(a)) {
      swapped[i] = 1;
      const m = a / below;
      mult[i] = m;
      u0[i] = below;
      u1[i] = nextDiag;
      u2[i] = nextSup;
      a = b - m * nextDiag;
      b = c - m * nextSup;
    } else {
      swapped[i] = 0;
      if (a === 0) a = tiny;
      const m = below / a;
      mult[i] = m;
      u0[i] = a;
      u1[i] = b;
      u2[i] = c;
      a = nextDiag - m * b;
      b = nextSup - m * c;
    }
    c = 0;
  }
  u0[n - 1] = a === 0 ? tiny : a;
  for (let iteration = 0; iteration < 2; iteration++) {
    for (let i = 0; i < n - 1; i++) {
      if (swapped[i]) {
        const t = x[i]!;
        x[i] = x[i + 1]!;
        x[i + 1] = t - mult[i]! * x[i]!;
      } else {
        x[i + 1] = x[i + 1]! - mult[i]! * x[i]!;
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      let r = x[i]!;
      if (i + 1 < n) r -= u1[i]! * x[i + 1]!;
      if (i + 2 < n) r -= u2[i]! * x[i + 2]!;
      x[i] = r / (u0[i] === 0 ? tiny : u0[i]!);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += x[i]! * x[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) x[i] = x[i]! / norm;
  }
  return scratch ? x : x.slice(0, n);
}
