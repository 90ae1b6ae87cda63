import type { Frame } from '../../types.ts';
import { ensureLength, ensureLengthInt } from '../growable.ts';
import type { SparseSymmetric } from '../linalg/index.ts';
import { ImputedEdges, type ImputedEdgesOptions } from '../sparse/index.ts';
import type { SeriesLabel } from '../stats/index.ts';

/** Ticks between looks for rows to free, and the fewest idle rows worth freeing (a small graph never frees any). */
const SWEEP_EVERY = 16;
const MIN_FREED = 256;

export interface ActiveGraphOptions extends ImputedEdgesOptions {
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
  readonly edges: ImputedEdges;
  /** This interval's matrix: D + Dᵀ over the edges that matter; rows, cols, weights by entry. */
  matrix: SparseSymmetric;
  /** Edge position of matrix entry k. */
  entryPosition = new Int32Array(64);
  /** Rows freed by the last read (their old contents belong to nobody now). */
  freedRows: readonly number[] = [];
  private rows = new Int32Array(64);
  private cols = new Int32Array(64);
  private weights = new Float64Array(64);
  /** Per edge position: its source and destination rows (checked against the row's name before use). */
  private srcRow = new Int32Array(64);
  private dstRow = new Int32Array(64);
  // Nodes.
  private readonly rowOf = new Map<string, number>();
  private readonly rowName: (string | undefined)[] = [];
  private lastUsed = new Int32Array(64);
  /** Per row: how many times it was freed. Per edge position: its rows' counts when their names were last checked. */
  private rowGeneration = new Int32Array(64);
  private srcGeneration = new Int32Array(64);
  private dstGeneration = new Int32Array(64);
  private readonly free: number[] = [];
  private tick = 0;
  /**
   * Per edge position: the epoch its rows were last checked by name at (0: never, or the
   * position was recycled). The epoch moves when the edge index forgets an edge (only then can a
   * position hold another edge), and a row's generation when a sweep frees it; while both stand
   * the rows are those the names gave, and the check (two strings per entry per interval,
   * through the edge list) is skipped. (A sweep moving one epoch for every position made the
   * connection log check ~3,400 names each 16th interval, where a few dozen rows were reused.)
   */
  private checkedEpoch = new Int32Array(64);
  private epoch = 1;
  private forgotten = 0;

  constructor(private readonly o: ActiveGraphOptions) {
    this.edges = new ImputedEdges(o);
    this.matrix = { size: 0, count: 0, rows: this.rows, cols: this.cols, weights: this.weights };
  }

  /** Rows so far (the high-water mark: vectors over nodes have this length). */
  get nodeCount(): number {
    return this.rowName.length;
  }

  /** Learnt edges held beyond the interval's own. */
  get trackedEdges(): number {
    return this.edges.trackedEdges;
  }

  read(frame: Frame): void {
    const tick = ++this.tick;
    this.freedRows = tick % SWEEP_EVERY === 0 ? this.sweep(tick) : NONE;
    const count = this.edges.read(frame);
    const size = frame.edges.size;
    const forgotten = frame.edges.forgotten ?? 0;
    if (forgotten !== this.forgotten) {
      this.forgotten = forgotten;
      this.epoch++;
    }
    // The index's count is live (a frame read after later ones were made sees theirs): the
    // positions this frame says hold a new edge are checked again whatever the epoch.
    if (frame.recycled !== undefined) for (const p of frame.recycled) if (p < this.checkedEpoch.length) this.checkedEpoch[p] = 0;
    if (this.srcRow.length < size) {
      this.srcRow = ensureLengthInt(this.srcRow, size);
      this.dstRow = ensureLengthInt(this.dstRow, size);
      this.checkedEpoch = ensureLengthInt(this.checkedEpoch, size);
      this.srcGeneration = ensureLengthInt(this.srcGeneration, size);
      this.dstGeneration = ensureLengthInt(this.dstGeneration, size);
    }
    this.rows = ensureLengthInt(this.rows, count);
    this.cols = ensureLengthInt(this.cols, count);
    this.weights = ensureLength(this.weights, count);
    this.entryPosition = ensureLengthInt(this.entryPosition, count);
    const { positions, values, isActive } = this.edges;
    const list = frame.edges.list;
    const { srcRow, dstRow, checkedEpoch, srcGeneration, dstGeneration, rows, cols, weights, entryPosition } = this;
    const epoch = this.epoch;
    // Per row: replaced when checkRows adds rows (read again after it).
    let generation = this.rowGeneration;
    let lastUsed = this.lastUsed;
    let m = 0;
    for (let u = 0; u < count; u++) {
      const p = positions[u]!;
      const weight = values[u]!;
      // Every edge in the frame has rows, as the dense graph gave every indexed edge rows.
      if (isActive[u] === 1 || weight !== 0) {
        let s = srcRow[p]!;
        let d = dstRow[p]!;
        if (checkedEpoch[p] !== epoch || generation[s] !== srcGeneration[p] || generation[d] !== dstGeneration[p]) {
          this.checkRows(p, list);
          s = srcRow[p]!;
          d = dstRow[p]!;
          generation = this.rowGeneration;
          lastUsed = this.lastUsed;
        }
        lastUsed[s] = tick;
        lastUsed[d] = tick;
      }
      if (weight === 0) continue;
      rows[m] = srcRow[p]!;
      cols[m] = dstRow[p]!;
      weights[m] = weight;
      entryPosition[m++] = p;
    }
    this.matrix = { size: this.rowName.length, count: m, rows: this.rows, cols: this.cols, weights: this.weights };
  }

  /** Learn the last read's active edges (SilenceImputed's rule), forgetting those silent past the horizon. */
  learn(): void {
    this.edges.learn();
  }

  /** On an alarmed interval: learn the new edges that keep recurring in alarms (ImputedEdges.learnRecurring). */
  learnRecurring(): void {
    this.edges.learnRecurring();
  }

  label(position: number): SeriesLabel {
    return this.edges.label(position);
  }

  /** Position p's rows by its nodes' names (a node without a row gets one), marked checked. */
  private checkRows(p: number, list: Frame['edges']['list']): void {
    let s = this.srcRow[p]!;
    let d = this.dstRow[p]!;
    const edge = list[p]!;
    if (this.rowName[s] !== edge.src) this.srcRow[p] = s = this.row(edge.src);
    if (this.rowName[d] !== edge.dst) this.dstRow[p] = d = this.row(edge.dst);
    this.checkedEpoch[p] = this.epoch;
    this.srcGeneration[p] = this.rowGeneration[s]!;
    this.dstGeneration[p] = this.rowGeneration[d]!;
  }

  private row(name: string): number {
    let row = this.rowOf.get(name);
    if (row === undefined) {
      row = this.free.length > 0 ? this.free.pop()! : this.rowName.length;
      if (row === this.rowName.length) this.rowName.push(name);
      else this.rowName[row] = name;
      this.rowOf.set(name, row);
      this.lastUsed = ensureLengthInt(this.lastUsed, row + 1);
      this.rowGeneration = ensureLengthInt(this.rowGeneration, row + 1);
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
      this.rowGeneration[r]!++; // positions on this row check their names again
      this.free.push(r);
      freed.push(r);
    }
    return freed;
  }
}

const NONE: readonly number[] = [];
