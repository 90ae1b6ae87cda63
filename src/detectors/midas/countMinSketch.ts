/**
 * A count-min sketch (Cormode & Muthukrishnan, J. Algorithms 55, 2005): `depth` rows of
 * `width` counters; an item adds to one counter per row, and its count is estimated as the
 * smallest of its counters, never below the true count and above it by at most e/width of the
 * total with probability 1 − e^(−depth). Memory is depth·width counters, however many distinct
 * items are counted.
 *
 * Counters are float64 so the counts can be decayed (MIDAS-R multiplies its current counts by
 * a factor each tick) and can be any non-negative amount (a run's per-interval counts).
 * Items are addressed by their `depth` counter positions (see sketchPositions), computed once
 * and shared by every sketch of the same shape.
 *
 * Decay is lazy: counters are stored divided by a common `scale` (the product of the factors
 * so far), so multiplying every counter is one multiplication of `scale`, and the counters are
 * rescaled only when `scale` falls below RESCALE_BELOW (every ~330 ticks at factor 0.5). Why:
 * multiplying 6 × 4 × 2,048 counters every interval cost more than all the rest of the
 * detector at 14 services, and counters that are no longer added to halve their way through
 * the subnormal range, where each multiplication is many times slower.
 */
export class CountMinSketch {
  /** Stored counters: the counts divided by `scale`. */
  readonly cells: Float64Array;
  private scale = 1;

  constructor(
    readonly depth: number,
    readonly width: number,
  ) {
    this.cells = new Float64Array(depth * width);
  }

  /** Add `amount` to the item at `positions` (from sketchPositions, offset `at`). */
  add(positions: Int32Array, at: number, amount: number): void {
    const cells = this.cells;
    const stored = amount / this.scale;
    for (let r = 0; r < this.depth; r++) cells[positions[at + r]!]! += stored;
  }

  /** The item's estimated count: the smallest of its counters. */
  estimate(positions: Int32Array, at: number): number {
    const cells = this.cells;
    let min = Number.POSITIVE_INFINITY;
    for (let r = 0; r < this.depth; r++) {
      const c = cells[positions[at + r]!]!;
      if (c < min) min = c;
    }
    return min * this.scale;
  }

  /**
   * add(), first copying the item's stored counters to `out[to …]` so that restore() can undo
   * it exactly (no float subtraction: x + 9e15 − 9e15 is not x). Only valid until the next
   * multiplyAll. One pass, each counter read once: every active edge is saved and added in six
   * sketches every tick, and a separate save pass read each counter twice (most of
   * MidasCounts.count, the detector's hot spot at 14 services).
   */
  saveAndAdd(positions: Int32Array, at: number, amount: number, out: Float64Array, to: number): void {
    const cells = this.cells;
    const stored = amount / this.scale;
    for (let r = 0; r < this.depth; r++) {
      const p = positions[at + r]!;
      const c = cells[p]!;
      out[to + r] = c;
      cells[p] = c + stored;
    }
  }

  /** The item's estimated count from counters saved by saveAndAdd(): what estimate() gave before it. */
  savedEstimate(saved: Float64Array, from: number): number {
    let min = Number.POSITIVE_INFINITY;
    for (let r = 0; r < this.depth; r++) if (saved[from + r]! < min) min = saved[from + r]!;
    return min * this.scale;
  }

  /** Put back counters saved by saveAndAdd(); items saved one after another are restored in the reverse order. */
  restore(positions: Int32Array, at: number, saved: Float64Array, from: number): void {
    const cells = this.cells;
    for (let r = 0; r < this.depth; r++) cells[positions[at + r]!] = saved[from + r]!;
  }

  /** Multiply every counter by `factor` in [0, 1] (MIDAS-R's decay of the current counts). */
  multiplyAll(factor: number): void {
    if (factor === 0) {
      this.cells.fill(0);
      this.scale = 1;
      return;
    }
    this.scale *= factor;
    if (this.scale >= RESCALE_BELOW) return;
    const { cells, scale } = this;
    // Counters below MIN_COUNT once rescaled are dropped to 0 rather than left to go subnormal.
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]! * scale;
      cells[i] = c < MIN_COUNT ? 0 : c;
    }
    this.scale = 1;
  }
}

/** Scale below which the stored counters are rescaled (amounts up to ~1e200 still fit in a float64 once divided by it). */
const RESCALE_BELOW = 1e-100;

/** Decayed counts below this are 0: far below any count that could move a score, far above the subnormal range. */
const MIN_COUNT = 1e-200;

/**
 * The counter positions of an item with 32-bit hashes h1, h2 into `out[at … at + depth)`:
 * row r uses column (h1 + r·h2) mod width, the double hashing of Kirsch & Mitzenmacher
 * ("Less hashing, same performance", ESA 2006), which keeps the count-min guarantee with two
 * hash values instead of one per row.
 */
export function sketchPositions(h1: number, h2: number, depth: number, width: number, out: Int32Array, at: number): void {
  const step = (h2 | 1) >>> 0;
  if ((width & (width - 1)) === 0) {
    // A power of two (the default): the low bits are the remainder, and a 32-bit AND is many
    // times cheaper than % of a uint32, which V8 does in floating point (the detector's hot spot).
    const mask = width - 1;
    for (let r = 0; r < depth; r++) out[at + r] = r * width + ((h1 + Math.imul(r, step)) & mask);
    return;
  }
  for (let r = 0; r < depth; r++) out[at + r] = r * width + (((h1 + Math.imul(r, step)) >>> 0) % width);
}

/** 32-bit FNV-1a of a string's UTF-16 code units from `seed`, finished with murmur3's fmix32 so every bit mixes. */
export function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Hash of an ordered pair of hashes (src, dst): a → b and b → a differ. */
export function hashPair(a: number, b: number): number {
  return fmix32((a ^ Math.imul(b, 0x9e3779b1) ^ 0x7f4a7c15) >>> 0);
}

/** murmur3's 32-bit finaliser. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
