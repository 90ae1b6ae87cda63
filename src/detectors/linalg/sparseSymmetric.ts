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
  /**
   * When set: entries from this one on are the diagonal, in row order (entry diagonalFrom + i is
   * (i, i), one per row), so a product adds them in a streaming loop instead of through the
   * index arrays; the same additions in the same order.
   */
  readonly diagonalFrom?: number;
}

/** y = (D + Dᵀ) x; `y` is overwritten (length ≥ size). */
export function multiplySymmetric(m: SparseSymmetric, x: Float64Array, y: Float64Array): void {
  // A loop, not y.fill(0, 0, n): at the sizes of most service graphs the builtin's call
  // overhead is most of a product's cost.
  for (let i = 0; i < m.size; i++) y[i] = 0;
  const { rows, cols, weights, count } = m;
  const offDiagonal = m.diagonalFrom ?? count;
  for (let k = 0; k < offDiagonal; k++) {
    const i = rows[k]!;
    const j = cols[k]!;
    const w = weights[k]!;
    y[i] = y[i]! + w * x[j]!;
    y[j] = y[j]! + w * x[i]!;
  }
  for (let k = offDiagonal, i = 0; k < count; k++, i++) {
    const w = weights[k]!;
    y[i] = y[i]! + w * x[i]!;
    y[i] = y[i]! + w * x[i]!;
  }
}
