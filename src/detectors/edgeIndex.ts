import type { EdgeIndex } from '../types.ts';
import { ensureLength, ensureLengthInt } from './growable.ts';

/**
 * Silence, in seconds of run time (an edge absent from every frame), after which the edge index
 * forgets an edge and gives its position to the next new edge: one day, the horizon of the
 * series detectors (SERIES_FORGET_AFTER_SECONDS) and of new-edge's and the load fits'
 * `forgetAfterSeconds` defaults, so an edge the index forgets is one they have forgotten too.
 */
export const EDGE_FORGET_AFTER_SECONDS = 86_400;

/** Sweeps for silent edges per horizon: an edge is forgotten after between 1 and 1 + 1/64 horizons of silence. */
const SWEEPS_PER_HORIZON = 64;

const NONE = new Int32Array(0);

export interface EdgeIndexOptions {
  /** Silence (seconds of run time) after which an edge is forgotten and its position reused; Infinity: never (append-only). */
  readonly forgetAfterSeconds?: number;
}

/**
 * The edge index shared by every frame of one stream: edge ↔ position.
 *
 * Keyed by a two-level map (src → dst → position) rather than one map keyed by
 * `src + '\u0000' + dst`: the concatenated key allocates a string per edge per interval
 * and hashes it afresh, which measured ~5× slower at 5,000 edges per interval.
 *
 * Forgetting (issue 19): an edge absent from every frame for more than `forgetAfterSeconds`
 * (see `seen`) is removed at the next sweep (every 1/64 of the horizon, O(positions)) and its
 * position put on a free list, from which the next new edge takes it; `indexOf` no longer finds
 * it, and if it comes back it is a new edge. So the positions in use, and every array a
 * consumer keeps per position, are bounded by the edges seen within about a horizon, not by
 * every edge the run has seen (a converted connection log: ~1.8 million pairs in 60,000
 * minutes). A position handed out again is listed in the frame's `recycled` (see
 * `takeRecycled`): consumers reset what they keep for it. A forgotten position keeps its old
 * names in `list` until reused, so blame still resolves names for it.
 */
export class GrowingEdgeIndex implements EdgeIndex {
  readonly list: { readonly src: string; readonly dst: string }[] = [];
  private readonly bySrc = new Map<string, Map<string, number>>();
  private readonly horizon: number;
  /** Per position: end (frame t) of the last frame listing the edge; NaN: the position is free. */
  private lastSeen = new Float64Array(64);
  private freePositions = new Int32Array(64);
  private free = 0;
  private recycled: number[] = [];
  private nextSweep = Number.NEGATIVE_INFINITY;
  private forgottenCount = 0;

  constructor(options: EdgeIndexOptions = {}) {
    this.horizon = options.forgetAfterSeconds ?? Number.POSITIVE_INFINITY;
  }

  /** Positions handed out so far (the high-water mark): per-position arrays are this long. */
  get size(): number {
    return this.list.length;
  }

  /** Edges indexed now (size minus the free positions). */
  get live(): number {
    return this.list.length - this.free;
  }

  /** Edges forgotten so far: a cache of name → position must be dropped when it changes. */
  get forgotten(): number {
    return this.forgottenCount;
  }

  indexOf(src: string, dst: string): number | undefined {
    return this.bySrc.get(src)?.get(dst);
  }

  /** Position of src→dst, taking a free position (listed in `takeRecycled`) or appending one when the edge is new. */
  add(src: string, dst: string): number {
    let byDst = this.bySrc.get(src);
    if (byDst === undefined) {
      byDst = new Map();
      this.bySrc.set(src, byDst);
    }
    let position = byDst.get(dst);
    if (position === undefined) {
      if (this.free > 0) {
        position = this.freePositions[--this.free]!;
        this.list[position] = { src, dst };
        this.recycled.push(position);
      } else {
        position = this.list.length;
        this.list.push({ src, dst });
        this.lastSeen = ensureLength(this.lastSeen, position + 1);
      }
      // Not forgotten before it is first `seen` (whatever the caller's frame time).
      this.lastSeen[position] = Number.POSITIVE_INFINITY;
      byDst.set(dst, position);
    }
    return position;
  }

  /** The edges at positions[0, n) were listed in the frame ending at t (they are not silent). */
  seen(positions: Int32Array, n: number, t: number): void {
    const lastSeen = this.lastSeen;
    for (let j = 0; j < n; j++) lastSeen[positions[j]!] = t;
  }

  /** Before a frame ending at t: forget edges silent for more than the horizon (a sweep, now and then). */
  forgetSilent(t: number): void {
    if (!(t >= this.nextSweep) || this.horizon === Number.POSITIVE_INFINITY) return;
    this.nextSweep = t + this.horizon / SWEEPS_PER_HORIZON;
    const { lastSeen, list } = this;
    for (let p = 0; p < list.length; p++) {
      // NaN (free) and +Infinity (added, not yet seen) both fail the test.
      if (!(t - lastSeen[p]! > this.horizon)) continue;
      const { src, dst } = list[p]!;
      const byDst = this.bySrc.get(src)!;
      byDst.delete(dst);
      if (byDst.size === 0) this.bySrc.delete(src);
      lastSeen[p] = Number.NaN;
      this.freePositions = ensureLengthInt(this.freePositions, this.free + 1);
      this.freePositions[this.free++] = p;
      this.forgottenCount++;
    }
  }

  /** Positions reused since the last call, ascending (each holds a new edge now): a frame's `recycled`. */
  takeRecycled(): Int32Array {
    if (this.recycled.length === 0) return NONE;
    const out = Int32Array.from(this.recycled).sort();
    this.recycled.length = 0;
    return out;
  }
}
