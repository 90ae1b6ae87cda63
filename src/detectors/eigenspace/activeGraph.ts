import type { Frame } from '../../types.ts';
import { ensureLength, ensureLengthBytes, ensureLengthInt } from '../growable.ts';
import type { SparseSymmetric } from '../linalg/index.ts';
import { ActiveEdges } from '../sparse/index.ts';
import type { SeriesLabel } from '../stats/index.ts';

/** Weight of the newest active value in an edge's typical level (as SilenceImputed). */
const LEVEL_WEIGHT = 0.2;
/** Ticks between looks for rows to free, and the fewest idle rows worth freeing (a small graph never frees any). */
const SWEEP_EVERY = 16;
const MIN_FREED = 256;

export interface ActiveGraphOptions {
  readonly metrics: readonly string[];
  readonly transform: 'none' | 'log1p';
  /** Read a silent edge, once learnt, at its typical level (SilenceImputed's rule) rather than 0. */
  readonly imputeSilence: boolean;
  /** An edge not learnt for this long is forgotten: no longer imputed, new again if it comes back. */
  readonly forgetAfterSeconds: number;
  /** A node idle for more than this many ticks may give its row to a new node (the activity window W + 1). */
  readonly idleTicks: number;
}

/**
 * The service graph of one interval, over the edges that matter now: the interval's active
 * edges and, with `imputeSilence`, the learnt edges silent now but active within
 * `forgetAfterSeconds`, at their typical level (the rule of SilenceImputed: a pause is no
 * observation, not a tiny one). Per interval the work is O(those edges + rows), never O(every
 * edge or node ever seen), and so is memory beyond a few bytes per edge position:
 *
 * - the matrix is built from a sorted list of the edges that matter (merged with the
 *   interval's sorted active edges), in edge-index order, so its products add the same
 *   numbers in the same order as the dense edge-list matrix did: on a graph where nothing is
 *   forgotten the scores are bit for bit the same;
 * - node rows are numbered as the dense graph numbered them (in edge-index order, source then
 *   destination), and a node idle for more than `idleTicks` gives its row back once enough
 *   rows are idle (MIN_FREED), to be reused by a new node: `freedRows` lists them so the
 *   caller clears them from the vectors it keeps (a node idle for the window's length has
 *   (near) zero weight there).
 */
export class ActiveGraph {
  readonly edges: ActiveEdges;
  /** This interval's matrix: D + Dᵀ over the edges that matter; rows, cols, weights and positions by entry. */
  matrix: SparseSymmetric;
  /** Edge position of matrix entry k. */
  entryPosition = new Int32Array(64);
  /** Rows freed by the last read (their old contents belong to nobody now). */
  freedRows: readonly number[] = [];
  private rows = new Int32Array(64);
  private cols = new Int32Array(64);
  private weights = new Float64Array(64);
  // Per edge position.
  private level = new Float64Array(64);
  private seen = new Uint8Array(64);
  private lastLearnt = new Float64Array(64);
  private srcRow = new Int32Array(64);
  private dstRow = new Int32Array(64);
  /** Learnt (imputable) edges, ascending. */
  private tracked = new Int32Array(64);
  private trackedCount = 0;
  /** The last read's union of tracked and active edges, ascending, with the active value (0 if silent). */
  private union = new Int32Array(64);
  private unionValue = new Float64Array(64);
  private unionCount = 0;
  private lastT = Number.NaN;
  // Nodes.
  private readonly rowOf = new Map<string, number>();
  private readonly rowName: (string | undefined)[] = [];
  private lastUsed = new Int32Array(64);
  private readonly free: number[] = [];
  private tick = 0;

  constructor(private readonly o: ActiveGraphOptions) {
    this.edges = new ActiveEdges({ metrics: o.metrics, transform: o.transform });
    this.matrix = { size: 0, count: 0, rows: this.rows, cols: this.cols, weights: this.weights };
  }

  /** Rows so far (the high-water mark: vectors over nodes have this length). */
  get nodeCount(): number {
    return this.rowName.length;
  }

  read(frame: Frame): void {
    const tick = ++this.tick;
    const t = frame.t;
    this.lastT = t;
    this.freedRows = tick % SWEEP_EVERY === 0 ? this.sweep(tick) : NONE;
    const edges = this.edges;
    const active = edges.read(frame);
    const size = frame.edges.size;
    if (this.seen.length < size) {
      this.level = ensureLength(this.level, size);
      this.lastLearnt = ensureLength(this.lastLearnt, size);
      this.seen = ensureLengthBytes(this.seen, size);
      this.srcRow = ensureLengthInt(this.srcRow, size);
      this.dstRow = ensureLengthInt(this.dstRow, size);
    }
    const capacity = this.trackedCount + active;
    this.union = ensureLengthInt(this.union, capacity);
    this.unionValue = ensureLength(this.unionValue, capacity);
    this.rows = ensureLengthInt(this.rows, capacity);
    this.cols = ensureLengthInt(this.cols, capacity);
    this.weights = ensureLength(this.weights, capacity);
    this.entryPosition = ensureLengthInt(this.entryPosition, capacity);
    const { tracked, positions, values } = { tracked: this.tracked, positions: edges.positions, values: edges.values };
    const list = frame.edges.list;
    const horizon = this.o.forgetAfterSeconds;
    let i = 0;
    let j = 0;
    let u = 0;
    let m = 0;
    while (i < this.trackedCount || j < active) {
      const pt = i < this.trackedCount ? tracked[i]! : Number.MAX_SAFE_INTEGER;
      const pa = j < active ? positions[j]! : Number.MAX_SAFE_INTEGER;
      const p = pt < pa ? pt : pa;
      let v = 0;
      const isActive = pa === p;
      if (isActive) v = values[j++]!;
      if (pt === p) i++;
      this.union[u] = p;
      this.unionValue[u++] = v;
      // SilenceImputed's read: a silent learnt edge at its level (within the horizon).
      const weight = v !== 0 || !this.o.imputeSilence ? v : this.seen[p] === 1 && t - this.lastLearnt[p]! <= horizon ? this.level[p]! : 0;
      // Every edge in the frame has rows, as the dense graph gave every indexed edge rows.
      if (isActive || weight !== 0) this.ensureRows(p, list[p]!, tick);
      if (weight === 0) continue;
      this.rows[m] = this.srcRow[p]!;
      this.cols[m] = this.dstRow[p]!;
      this.weights[m] = weight;
      this.entryPosition[m++] = p;
    }
    this.unionCount = u;
    this.matrix = { size: this.rowName.length, count: m, rows: this.rows, cols: this.cols, weights: this.weights };
  }

  /** SilenceImputed's learn on the last read (its active edges move their levels), then forget edges silent past the horizon. */
  learn(): void {
    if (!this.o.imputeSilence) return;
    const t = this.lastT;
    const { union, unionValue, seen, level, lastLearnt } = this;
    let kept = 0;
    this.tracked = ensureLengthInt(this.tracked, this.unionCount);
    for (let u = 0; u < this.unionCount; u++) {
      const p = union[u]!;
      const v = unionValue[u]!;
      if (v > 0) {
        if (seen[p] === 0) {
          seen[p] = 1;
          level[p] = v;
        } else level[p]! += LEVEL_WEIGHT * (v - level[p]!);
        lastLearnt[p] = t;
      }
      if (seen[p] === 0) continue;
      if (t - lastLearnt[p]! > this.o.forgetAfterSeconds) {
        seen[p] = 0;
        continue;
      }
      this.tracked[kept++] = p;
    }
    this.trackedCount = kept;
  }

  /** Edges the detector tracks beyond this interval's own (for tests and memory checks). */
  get trackedEdges(): number {
    return this.trackedCount;
  }

  label(position: number): SeriesLabel {
    const { src, dst } = this.edges.edgeOf(position);
    const metrics = this.edges.metrics;
    return metrics.length === 1 ? { src, dst, metric: metrics[0]! } : { src, dst };
  }

  private ensureRows(p: number, edge: { readonly src: string; readonly dst: string }, tick: number): void {
    let s = this.srcRow[p]!;
    if (this.rowName[s] !== edge.src) this.srcRow[p] = s = this.row(edge.src);
    let d = this.dstRow[p]!;
    if (this.rowName[d] !== edge.dst) this.dstRow[p] = d = this.row(edge.dst);
    this.lastUsed[s] = tick;
    this.lastUsed[d] = tick;
  }

  private row(name: string): number {
    let row = this.rowOf.get(name);
    if (row === undefined) {
      row = this.free.length > 0 ? this.free.pop()! : this.rowName.length;
      if (row === this.rowName.length) this.rowName.push(name);
      else this.rowName[row] = name;
      this.rowOf.set(name, row);
      this.lastUsed = ensureLengthInt(this.lastUsed, row + 1);
    }
    return row;
  }

  /** Free the rows of nodes idle for more than idleTicks, when there are enough of them. */
  private sweep(tick: number): readonly number[] {
    const idleBefore = tick - this.o.idleTicks;
    let idle = 0;
    for (let r = 0; r < this.rowName.length; r++) if (this.rowName[r] !== undefined && this.lastUsed[r]! < idleBefore) idle++;
    if (idle < MIN_FREED) return NONE;
    const freed: number[] = [];
    // Highest first, so the free stack hands out the lowest rows first.
    for (let r = this.rowName.length - 1; r >= 0; r--) {
      const name = this.rowName[r];
      if (name === undefined || this.lastUsed[r]! >= idleBefore) continue;
      this.rowOf.delete(name);
      this.rowName[r] = undefined;
      this.free.push(r);
      freed.push(r);
    }
    return freed;
  }
}

const NONE: readonly number[] = [];
