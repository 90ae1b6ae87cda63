import { dot, dot4, principalLeftSingular } from '../linalg/index.ts';

/**
 * The last W activity vectors and their Gram matrix, kept up to date one dot-product row per
 * push, so the typical pattern r(t−1) (principal left singular vector of [u(t−W) … u(t−1)])
 * costs a W×W eigenproblem instead of an SVD of a nodes × W matrix.
 *
 * The W×W problem starts from the previous window's answer (see gramTopEigen), and is solved
 * once per window content: the answer then depends only on the pushes so far, never on how
 * often `typical` was asked (a silent interval asks without pushing), so verdicts stay
 * reproducible.
 */
export class ActivityWindow {
  private readonly slots: Float64Array[] = [];
  private readonly gram: Float64Array;
  private next = 0;
  /**
   * Top Gram eigenvector (slot-indexed) of the previous content, the warm start; and of the
   * current content once `typical` was asked (while `cached` is set), else a spare buffer.
   */
  private weights: Float64Array | undefined;
  private cachedWeights: Float64Array | undefined;
  /** r for the current content (a view on `typicalBuffer`, at the length it was asked at); cleared by push. */
  private cached: Float64Array | undefined;
  private typicalBuffer = new Float64Array(0);
  private readonly sub: Float64Array;
  /** Per slot: whether zeroRows changed it. */
  private readonly changed: Uint8Array;
  /** dot4's answers, reused every push. */
  private readonly four = new Float64Array(4);

  constructor(private readonly capacity: number) {
    this.gram = new Float64Array(capacity * capacity);
    this.sub = new Float64Array(capacity * capacity);
    this.changed = new Uint8Array(capacity);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Add u (kept, not copied); returns the vector it pushed out of a full window. */
  push(u: Float64Array): Float64Array | undefined {
    const slot = this.slots.length < this.capacity ? this.slots.length : this.next;
    const evicted = this.slots.length < this.capacity ? undefined : this.slots[slot];
    this.slots[slot] = u;
    this.next = (slot + 1) % this.capacity;
    const w = this.capacity;
    // Four dot products per pass over u (each summed in its own order, as dot sums it), the last 0-3 slots one by one.
    const quads = this.slots.length - (this.slots.length % 4);
    const four = this.four;
    for (let k = 0; k < quads; k += 4) {
      dot4(u, this.slots[k]!, this.slots[k + 1]!, this.slots[k + 2]!, this.slots[k + 3]!, four);
      for (let j = 0; j < 4; j++) {
        this.gram[slot * w + k + j] = four[j]!;
        this.gram[(k + j) * w + slot] = four[j]!;
      }
    }
    for (let k = quads; k < this.slots.length; k++) {
      const v = dot(u, this.slots[k]!);
      this.gram[slot * w + k] = v;
      this.gram[k * w + slot] = v;
    }
    if (this.cached !== undefined) {
      // The content's answer becomes the next start; the older buffer is reused for the next answer.
      const previous = this.weights;
      this.weights = this.cachedWeights;
      this.cachedWeights = previous;
    }
    this.cached = undefined;
    return evicted;
  }

  /**
   * Forget every kept vector (a new normal starts the window afresh: see Eigenspace). The warm
   * start goes too: it weighted the old slots.
   */
  clear(): void {
    this.slots.length = 0;
    this.next = 0;
    this.weights = undefined;
    this.cachedWeights = undefined;
    this.cached = undefined;
  }

  /**
   * Zero the given rows in every kept vector (rows handed to new nodes), and refresh the Gram
   * matrix where a vector changed; the next `typical` is solved afresh (warm-started as before).
   * A freed row is usually zero already in every vector (its node was idle for the whole window,
   * and a graph of many components leaves the rows outside the winning one at exactly 0): those
   * vectors' dot products are what push computed, and are kept rather than summed again.
   */
  zeroRows(rows: readonly number[]): void {
    const w = this.capacity;
    const k = this.slots.length;
    const changed = this.changed;
    for (let i = 0; i < k; i++) {
      const slot = this.slots[i]!;
      let touched = 0;
      for (const row of rows) {
        if (row < slot.length && slot[row] !== 0) {
          slot[row] = 0;
          touched = 1;
        }
      }
      changed[i] = touched;
    }
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        if (changed[i] === 0 && changed[j] === 0) continue;
        const v = dot(this.slots[i]!, this.slots[j]!);
        this.gram[i * w + j] = v;
        this.gram[j * w + i] = v;
      }
    }
    this.cached = undefined;
  }

  /**
   * r(t−1) over `length` nodes (older vectors are zero-padded: a node they lack was idle).
   * Read-only, and only until the next push: its buffer is reused (it is one typed-array
   * allocation less per interval, and nobody keeps r).
   */
  typical(length: number): Float64Array {
    if (this.cached !== undefined && this.cached.length === length) return this.cached;
    const k = this.slots.length;
    const w = this.capacity;
    const g = this.sub;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) g[i * k + j] = this.gram[i * w + j]!;
    if (this.typicalBuffer.length < length) this.typicalBuffer = new Float64Array(Math.max(length, 2 * this.typicalBuffer.length));
    const result = principalLeftSingular(this.slots, length, g.subarray(0, k * k), this.weights, this.typicalBuffer);
    // Kept for the next content's warm start, in a buffer of the window's own (the result's is shared scratch).
    const keep = this.cachedWeights !== undefined && this.cachedWeights.length === k ? this.cachedWeights : new Float64Array(k);
    keep.set(result.gramVector);
    this.cachedWeights = keep;
    this.cached = result.vector;
    return result.vector;
  }
}
