import type { MetricKey } from '../types.ts';

/**
 * A frame's `values` (metric → value per edge position), made dense only when asked for.
 *
 * A frame holds the values of its active edges (Frame.activeValues: entry j belongs to edge
 * active[j]); the dense arrays over every edge ever seen, as long as the index at that frame,
 * are built on the first get / values / entries / forEach / iteration, once per frame, and kept
 * (so a consumer may keep the frame and its arrays). Detectors that read only the active edges
 * never build them: on a stream whose index keeps growing (a converted connection log,
 * ~100 edges an interval out of hundreds of thousands seen) the dense arrays were most of the
 * per-interval cost, in allocation, zeroing and garbage collection. `has`, `keys` and `size`
 * need no arrays. On a gap frame every dense value is NaN (the traffic is unknown).
 */
export class FrameValues implements ReadonlyMap<MetricKey, Float64Array> {
  private dense: Map<MetricKey, Float64Array> | undefined;

  constructor(
    private readonly metrics: readonly MetricKey[],
    /** Per metric (same order), the values of the active edges. */
    private readonly activeArrays: readonly Float64Array[],
    private readonly active: Int32Array,
    /** Edges the dense arrays cover (the index's size at this frame). */
    readonly edgeCount: number,
    private readonly gap: boolean,
  ) {}

  get size(): number {
    return this.metrics.length;
  }

  has(metric: MetricKey): boolean {
    return this.metrics.includes(metric);
  }

  keys(): MapIterator<MetricKey> {
    return this.metrics[Symbol.iterator]() as MapIterator<MetricKey>;
  }

  get(metric: MetricKey): Float64Array | undefined {
    return this.materialize().get(metric);
  }

  values(): MapIterator<Float64Array> {
    return this.materialize().values();
  }

  entries(): MapIterator<[MetricKey, Float64Array]> {
    return this.materialize().entries();
  }

  forEach(callback: (value: Float64Array, key: MetricKey, map: ReadonlyMap<MetricKey, Float64Array>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.materialize()) callback.call(thisArg, value, key, this);
  }

  [Symbol.iterator](): MapIterator<[MetricKey, Float64Array]> {
    return this.entries();
  }

  private materialize(): Map<MetricKey, Float64Array> {
    if (this.dense !== undefined) return this.dense;
    const size = this.edgeCount;
    const known = this.metrics.length;
    // One buffer for all metrics: each typed array beyond 64 bytes is a separate allocation outside the heap.
    const block = new Float64Array(size * known);
    if (this.gap) block.fill(Number.NaN);
    const dense = new Map<MetricKey, Float64Array>();
    const active = this.active;
    for (let m = 0; m < known; m++) {
      const array = block.subarray(m * size, (m + 1) * size);
      const values = this.activeArrays[m]!;
      for (let j = 0; j < active.length; j++) array[active[j]!] = values[j]!;
      dense.set(this.metrics[m]!, array);
    }
    this.dense = dense;
    return dense;
  }
}
