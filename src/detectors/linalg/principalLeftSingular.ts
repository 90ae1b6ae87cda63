import { gramTopEigen } from './gramTopEigen.ts';
import { dot } from './vectorOps.ts';

/** The dominant singular triple's left vector and singular value. */
export interface LeftSingular {
  /** Unit left singular vector (length = `length`), sign chosen so its entries sum to ≥ 0. */
  readonly vector: Float64Array;
  /** Largest singular value σ₁. */
  readonly value: number;
  /** Unit top eigenvector of the Gram matrix (one weight per column), a warm start for a next call; valid until the next call (copy to keep). */
  readonly gramVector: Float64Array;
}

/**
 * Principal left singular vector of the matrix whose columns are `columns` (each zero-padded
 * to `length`). The matrix is tall and thin (nodes × a window of intervals), so it goes
 * through the small Gram matrix G = UᵀU: if G v = σ² v then U v / σ is the left vector.
 * `gram` (row-major k×k, k = columns.length) may be passed when the caller maintains it, and
 * `start` a guess of G's top eigenvector (e.g. the last call's `gramVector`; see gramTopEigen).
 * With `out` (at least `length` long) the vector is written there and returned as a view.
 */
export function principalLeftSingular(columns: readonly Float64Array[], length: number, gram?: Float64Array, start?: Float64Array, out?: Float64Array): LeftSingular {
  const k = columns.length;
  const vector = out !== undefined && out.length >= length ? out.subarray(0, length).fill(0) : new Float64Array(length);
  if (k === 0) return { vector, value: 0, gramVector: new Float64Array(0) };
  let g = gram;
  if (!g) {
    g = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        const v = dot(columns[i]!, columns[j]!);
        g[i * k + j] = v;
        g[j * k + i] = v;
      }
    }
  }
  const e = gramTopEigen(g, k, start);
  const sigma = Math.sqrt(Math.max(0, e.value));
  if (!(sigma > 0)) return { vector, value: 0, gramVector: e.vector };
  const v = e.vector;
  // Columns four at a time where all reach, then two: vector[i] + a·x[i] + b·y[i] + … rounds
  // left to right, the same numbers as one pass per column, with fewer passes over `vector`.
  let c = 0;
  for (; c + 3 < k; c += 4) {
    const x0 = columns[c]!;
    const x1 = columns[c + 1]!;
    const x2 = columns[c + 2]!;
    const x3 = columns[c + 3]!;
    const a0 = v[c]! / sigma;
    const a1 = v[c + 1]! / sigma;
    const a2 = v[c + 2]! / sigma;
    const a3 = v[c + 3]! / sigma;
    const n0 = Math.min(x0.length, length);
    const n1 = Math.min(x1.length, length);
    const n2 = Math.min(x2.length, length);
    const n3 = Math.min(x3.length, length);
    const all = Math.min(n0, n1, n2, n3);
    for (let i = 0; i < all; i++) vector[i] = vector[i]! + a0 * x0[i]! + a1 * x1[i]! + a2 * x2[i]! + a3 * x3[i]!;
    // Rows only some of them reach (older vectors are shorter): each column that reaches, in order.
    const most = Math.max(n0, n1, n2, n3);
    for (let i = all; i < most; i++) {
      let sum = vector[i]!;
      if (i < n0) sum += a0 * x0[i]!;
      if (i < n1) sum += a1 * x1[i]!;
      if (i < n2) sum += a2 * x2[i]!;
      if (i < n3) sum += a3 * x3[i]!;
      vector[i] = sum;
    }
  }
  for (; c + 1 < k; c += 2) {
    const x = columns[c]!;
    const y = columns[c + 1]!;
    const a = v[c]! / sigma;
    const b = v[c + 1]! / sigma;
    const nx = Math.min(x.length, length);
    const ny = Math.min(y.length, length);
    const both = Math.min(nx, ny);
    for (let i = 0; i < both; i++) vector[i] = vector[i]! + a * x[i]! + b * y[i]!;
    for (let i = both; i < nx; i++) vector[i] = vector[i]! + a * x[i]!;
    for (let i = both; i < ny; i++) vector[i] = vector[i]! + b * y[i]!;
  }
  for (; c < k; c++) {
    const col = columns[c]!;
    const weight = v[c]! / sigma;
    const n = Math.min(col.length, length);
    for (let i = 0; i < n; i++) vector[i] = vector[i]! + weight * col[i]!;
  }
  let total = 0;
  for (let i = 0; i < length; i++) total += vector[i]!;
  if (total < 0) for (let i = 0; i < length; i++) vector[i] = -vector[i]!;
  return { vector, value: sigma, gramVector: v };
}
