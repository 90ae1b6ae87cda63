import { dot, principalLeftSingular } from './linalg/index.ts';

/**
 * The last W activity vectors and their Gram matrix, kept up to date one dot-product row per
 * push, so the typical pattern r(t−1) (principal left singular vector of [u(t−W) … u(t−1)])
 * costs a W×W eigen-decomposition instead of an SVD of a nodes × W matrix.
 */
export class ActivityWindow {
  private readonly slots: Float64Array[] = [];
  private readonly gram: Float64Array;
  private next = 0;

  constructor(private readonly capacity: number) {
    this.gram = new Float64Array(capacity * capacity);
  }

  get size(): number {
    return this.slots.length;
  }

  push(u: Float64Array): void {
    const slot = this.slots.length < this.capacity ? this.slots.length : this.next;
    this.slots[slot] = u;
    this.next = (slot + 1) % this.capacity;
    const w = this.capacity;
    for (let k = 0; k < this.slots.length; k++) {
      const v = dot(u, this.slots[k]!);
      this.gram[slot * w + k] = v;
      this.gram[k * w + slot] = v;
    }
  }

  /** r(t−1) over `length` nodes (older vectors are zero-padded: a node they lack was idle). */
  typical(length: number): Float64Array {
    const k = this.slots.length;
    const w = this.capacity;
    const g = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) g[i * k + j] = this.gram[i * w + j]!;
    return principalLeftSingular(this.slots, length, g).vector;
  }
}
