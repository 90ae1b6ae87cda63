// Small dense-vector kernels on Float64Arrays. Vectors of different lengths are read as if
// the shorter one were padded with zeros (an index that grew since an older vector was made:
// it simply has no entries for what appeared later; positions an index reuses are reset by
// their owners, see Frame.recycled).

/** Σ a_i b_i over the common prefix. */
export function dot(a: Float64Array, b: Float64Array): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * out = [dot(u, a), dot(u, b), dot(u, c), dot(u, d)] in one pass over u where all reach, each
 * summed term by term in dot's order (bit for bit dot's answers); `out` is the caller's.
 */
export function dot4(u: Float64Array, a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array, out: Float64Array): void {
  const na = Math.min(u.length, a.length);
  const nb = Math.min(u.length, b.length);
  const nc = Math.min(u.length, c.length);
  const nd = Math.min(u.length, d.length);
  const all = Math.min(na, nb, nc, nd);
  let s = 0;
  let t = 0;
  let p = 0;
  let q = 0;
  for (let i = 0; i < all; i++) {
    const x = u[i]!;
    s += x * a[i]!;
    t += x * b[i]!;
    p += x * c[i]!;
    q += x * d[i]!;
  }
  for (let i = all; i < na; i++) s += u[i]! * a[i]!;
  for (let i = all; i < nb; i++) t += u[i]! * b[i]!;
  for (let i = all; i < nc; i++) p += u[i]! * c[i]!;
  for (let i = all; i < nd; i++) q += u[i]! * d[i]!;
  out[0] = s;
  out[1] = t;
  out[2] = p;
  out[3] = q;
}

/** Euclidean norm. */
export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** Scale `a` in place to unit length; returns the length it had (0 leaves `a` unchanged). */
export function normalizeInPlace(a: Float64Array): number {
  const length = norm(a);
  if (length > 0) for (let i = 0; i < a.length; i++) a[i] = a[i]! / length;
  return length;
}

/** y += alpha x over the common prefix. */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) y[i] = y[i]! + alpha * x[i]!;
}

/** Copy `a` into a new array of `length` entries, zero-padded or truncated. */
export function resized(a: Float64Array, length: number): Float64Array {
  const out = new Float64Array(length);
  out.set(a.length <= length ? a : a.subarray(0, length));
  return out;
}

/** Positions of the `k` largest values of `score` (ties: lower position first), largest first; NaN never ranks. */
export function topIndices(score: Float64Array, k: number): number[] {
  const picked: number[] = [];
  if (k <= 0) return picked;
  // An insertion-sorted short list: k is a handful, the vector may hold thousands of entries.
  for (let i = 0; i < score.length; i++) {
    const s = score[i]!;
    if (Number.isNaN(s)) continue;
    if (picked.length === k) {
      if (s <= score[picked[k - 1]!]!) continue;
      picked.pop();
    }
    let at = picked.length;
    while (at > 0 && score[picked[at - 1]!]! < s) at--;
    picked.splice(at, 0, i);
  }
  return picked;
}
