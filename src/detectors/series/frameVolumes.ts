import type { Frame, MetricKey } from '../../types.ts';

/** How a frame's metric arrays become per-edge volumes (one per detector, made once). */
export class VolumeRecipe {
  /** Series per edge: 1 = the metrics added up; M (= metrics.length) = one series per metric. */
  readonly perEdge: number;
  /** Identifies the recipe in the per-frame cache. */
  readonly key: string;
  /** The same recipe without the transform (what a transformed recipe is made from). */
  readonly untransformed: VolumeRecipe | undefined;

  constructor(
    /** Watched metric keys, in the order they are added up; those absent from the frame count 0. */
    readonly metrics: readonly MetricKey[],
    combine: 'sum' | 'separate',
    /** `log1p`: ln(1 + volume) of each series (the subspace detectors' scale). */
    readonly transform: 'none' | 'log1p' = 'none',
  ) {
    this.perEdge = combine === 'sum' ? 1 : metrics.length;
    this.key = `${combine}\u0000${transform}\u0000${metrics.join('\u0000')}`;
    this.untransformed = transform === 'none' ? undefined : new VolumeRecipe(metrics, combine, 'none');
  }
}

/** One recipe's volumes: the frame they belong to, and a buffer reused from frame to frame. */
interface Entry {
  frame: Frame | undefined;
  size: number;
  buffer: Float64Array<ArrayBuffer>;
  /** The edges whose series may be nonzero in the buffer (the last frame's `active`); undefined: any. */
  written: Int32Array | undefined;
}

/**
 * Volumes of the frame seen last, by recipe. Every detector of a stream reads a frame before
 * the next frame comes, and with default options all seven ask for the same volumes (the byte
 * metrics added up per edge), two of them also for ln(1 + ·) of them: made once per frame, not
 * once per detector, which at 5,000 edges saves six sums over every metric array and 5,000
 * logarithms per interval. Each recipe keeps one buffer, refilled for the next frame: typed
 * arrays beyond 64 bytes are allocated outside the heap (~1 µs each), which cost more than
 * filling them at 14 services.
 *
 * So the arrays handed out are shared and short-lived: read them, never write, and only until
 * the next frame (every detector copies what it keeps). Streams that interleave frame by frame
 * just compute afresh; memory holds one buffer per recipe (and the last frame), whatever the
 * run's length.
 */
const entries = new Map<string, Entry>();
let countedFrame: Frame | undefined;
let counted = 0;

/** Edges the frame's arrays cover (the longest; asked by every detector, counted once). */
export function frameEdgeCount(frame: Frame): number {
  if (frame.edgeCount !== undefined) return frame.edgeCount;
  if (frame !== countedFrame) {
    let edges = 0;
    for (const array of frame.values.values()) if (array.length > edges) edges = array.length;
    countedFrame = frame;
    counted = edges;
  }
  return counted;
}

/** The volumes of `frame` over `edges` edges: series e·perEdge + m (at least that many entries). */
export function frameVolumes(frame: Frame, edges: number, recipe: VolumeRecipe): Float64Array {
  const size = edges * recipe.perEdge;
  let entry = entries.get(recipe.key);
  if (entry === undefined) {
    entry = { frame: undefined, size: 0, buffer: new Float64Array(Math.max(size, 64)), written: new Int32Array(0) };
    entries.set(recipe.key, entry);
  }
  if (entry.frame === frame && entry.size === size) return entry.buffer;
  // A buffer still holding this frame's volumes for a different edge count may be being read.
  if (entry.buffer.length < size || entry.frame === frame) {
    entry.buffer = new Float64Array(Math.max(size, 2 * entry.buffer.length));
    entry.written = new Int32Array(0);
  }
  const values = entry.buffer;
  const active = frame.active;
  const activeValues = frame.activeValues;
  if (active !== undefined && activeValues !== undefined && entry.written !== undefined && !frame.gap) {
    // O(edges active now): the buffer is 0 but at the series of the edges written last, so
    // those are cleared and only this frame's active edges are summed (every other edge is 0
    // in every metric, and ln(1 + 0) = 0).
    sparseVolumes(frame, edges, active, activeValues, entry.written, values, recipe);
    entry.frame = frame;
    entry.size = size;
    entry.written = active;
    return values;
  }
  entry.written = undefined;
  if (recipe.untransformed !== undefined) {
    const raw = frameVolumes(frame, edges, recipe.untransformed);
    for (let i = 0; i < size; i++) values[i] = Math.log1p(raw[i]!);
  } else {
    values.fill(0, 0, size);
    const { metrics, perEdge } = recipe;
    for (let m = 0; m < metrics.length; m++) {
      const array = frame.values.get(metrics[m]!);
      if (array === undefined) continue;
      const n = array.length;
      if (perEdge === 1) {
        for (let e = 0; e < n; e++) values[e]! += array[e]!;
      } else {
        for (let e = 0; e < n; e++) values[e * perEdge + m] = array[e]!;
      }
    }
  }
  entry.frame = frame;
  entry.size = size;
  return values;
}

/** frameVolumes for a frame whose nonzero edges are `active`, into a buffer nonzero only at `written`'s series. */
function sparseVolumes(frame: Frame, edges: number, active: Int32Array, activeValues: ReadonlyMap<MetricKey, Float64Array>, written: Int32Array, values: Float64Array, recipe: VolumeRecipe): void {
  const { metrics, perEdge } = recipe;
  for (let j = 0; j < written.length; j++) {
    const at = written[j]! * perEdge;
    for (let m = 0; m < perEdge; m++) values[at + m] = 0;
  }
  if (recipe.untransformed !== undefined) {
    const raw = frameVolumes(frame, edges, recipe.untransformed);
    for (let j = 0; j < active.length; j++) {
      const at = active[j]! * perEdge;
      for (let m = 0; m < perEdge; m++) values[at + m] = Math.log1p(raw[at + m]!);
    }
    return;
  }
  for (let m = 0; m < metrics.length; m++) {
    // The active edges' own values (entry j: edge active[j]), not the dense arrays.
    const array = activeValues.get(metrics[m]!);
    if (array === undefined) continue;
    if (perEdge === 1) {
      for (let j = 0; j < active.length; j++) values[active[j]!]! += array[j]!;
    } else {
      for (let j = 0; j < active.length; j++) values[active[j]! * perEdge + m] = array[j]!;
    }
  }
}
