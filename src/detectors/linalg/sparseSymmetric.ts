// The dependency matrix of a traffic graph, kept as its edge list: for 1,000 services and
// 5,000 edges a dense 1,000 × 1,000 matrix would be 99.5 % zeros.

/**
 * The symmetric n×n matrix D + Dᵀ, where D holds `weights[k]` at (`rows[k]`, `cols[k]`) for
 * k < count (repeated positions add up; a diagonal entry of D counts twice, as in D + Dᵀ).
 */
export interface SparseSymmetric {
  readonly size: number;
  readonly count: number;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly weights: Float64Array;
}

/** y = (D + Dᵀ) x; `y` is overwritten (length ≥ size). */
export function multiplySymmetric(m: SparseSymmetric, x: Float64Array, y: Float64Array): void {
  // A loop, not y.fill(0, 0, n): at the sizes of most service graphs the builtin's call
  // overhead is most of a product's cost.
  for (let i = 0; i < m.size; i++) y[i] = 0;
  const { rows, cols, weights, count } = m;
  for (let k = 0; k < count; k++) {
    const i = rows[k]!;
    const j = cols[k]!;
    const w = weights[k]!;
    y[i] = y[i]! + w * x[j]!;
    y[j] = y[j]! + w * x[i]!;
  }
}

/** Build D + Dᵀ from edge triples; pairs with weight 0 are dropped (they change nothing). */
export function sparseSymmetric(size: number, rows: ArrayLike<number>, cols: ArrayLike<number>, weights: ArrayLike<number>): SparseSymmetric {
  const n = weights.length;
  const r = new Int32Array(n);
  const c = new Int32Array(n);
  const w = new Float64Array(n);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const value = weights[k]!;
    if (value === 0) continue;
    const i = rows[k]!;
    const j = cols[k]!;
    if (!(i >= 0 && i < size && j >= 0 && j < size)) throw new RangeError(`sparseSymmetric: entry (${i}, ${j}) outside ${size}×${size}`);
    r[count] = i;
    c[count] = j;
    w[count] = value;
    count++;
  }
  return { size, count, rows: r, cols: c, weights: w };
}
