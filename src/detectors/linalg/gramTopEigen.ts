import { symmetricEigen } from './symmetricEigen.ts';

/** The top eigenpair of a Gram matrix. */
export interface GramTop {
  /** Largest eigenvalue. */
  readonly value: number;
  /** Unit eigenvector, entries summing to ≥ 0; valid until the next call (shared scratch). */
  readonly vector: Float64Array;
}

/** Accept when the error bound on the vector's direction (radians) is below this. */
const ANGLE_TOLERANCE = 1e-14;
const MAX_ITERATIONS = 60;

/**
 * The iteration's two vectors, reused from call to call: a window's Gram matrix is solved every
 * interval, and typed arrays beyond 64 bytes are allocated outside the heap (~1 µs each).
 */
let scratchA = new Float64Array(32);
let scratchB = new Float64Array(32);

/**
 * Top eigenpair of the k×k Gram matrix G (row-major), starting power iteration from `start`
 * (e.g. the previous window's answer; padded when k grew).
 *
 * Why not always the dense decomposition: the eigenspace detector needs this every interval
 * for a window of ~10 activity vectors that are nearly parallel, so λ₁ dwarfs the rest and a
 * warm start converges in a few products of 10×10, where Householder + QL cost ~10× more.
 *
 * Correctness: G is positive semi-definite, so λ₂ ≤ tr G − λ₁ ≤ tr G − θ for the Rayleigh
 * quotient θ ≤ λ₁, hence λ₁ − λ₂ ≥ 2θ − tr G. By Davis–Kahan the angle between v and the top
 * eigenvector is at most ‖Gv − θv‖ / (2θ − tr G). The iteration stops when that bound is below
 * ANGLE_TOLERANCE; when λ₁ does not dominate enough for the bound to say so, the dense
 * decomposition answers instead.
 */
export function gramTopEigen(g: Float64Array, k: number, start?: Float64Array): GramTop {
  if (k === 0) return { value: 0, vector: new Float64Array(0) };
  let trace = 0;
  for (let i = 0; i < k; i++) trace += g[i * k + i]!;
  if (scratchA.length < k) {
    scratchA = new Float64Array(2 * k);
    scratchB = new Float64Array(2 * k);
  }
  // A positive floor keeps the top direction in play (for vectors ≥ 0, G ≥ 0 and so is its top vector).
  // `start` is read in full before `w` is written, so it may be the last call's answer.
  let v = scratchA.subarray(0, k);
  let norm2 = 0;
  for (let i = 0; i < k; i++) {
    const s = start !== undefined && i < start.length ? Math.abs(start[i]!) : 0;
    v[i] = s + 1e-3 / Math.sqrt(k);
    norm2 += v[i]! * v[i]!;
  }
  scale(v, 1 / Math.sqrt(norm2));
  let w = scratchB.subarray(0, k);
  for (let iteration = 0; iteration < MAX_ITERATIONS && trace > 0; iteration++) {
    let theta = 0;
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0, row = i * k; j < k; j++) s += g[row + j]! * v[j]!;
      w[i] = s;
      theta += v[i]! * s;
    }
    let residual2 = 0;
    let wNorm2 = 0;
    for (let i = 0; i < k; i++) {
      const r = w[i]! - theta * v[i]!;
      residual2 += r * r;
      wNorm2 += w[i]! * w[i]!;
    }
    const gap = 2 * theta - trace;
    if (gap > 0 && Math.sqrt(residual2) <= ANGLE_TOLERANCE * gap) return { value: theta, vector: v };
    if (!(wNorm2 > 0)) break;
    scale(w, 1 / Math.sqrt(wNorm2));
    const next = w;
    w = v;
    v = next;
  }
  const e = symmetricEigen(g, k);
  const vector = e.vectors[0]!;
  let sum = 0;
  for (let i = 0; i < k; i++) sum += vector[i]!;
  if (sum < 0) scale(vector, -1);
  return { value: e.values[0]!, vector };
}

function scale(a: Float64Array, factor: number): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! * factor;
}
