import type { NameTable } from './nameTable.ts';

/** How far ahead of its cursor an edge's names are looked for in the previous line's order (vectorize looks as far ahead in the previous snapshot's). */
const LOOK_AHEAD = 4;
const QUOTE = 0x22;

/**
 * The previous snapshots.ndjson line's edge order, followed while the snapshot line parser reads
 * the next line, so that an edge's names are usually recognised by comparing their bytes with a
 * name already known instead of being looked up. Writers list their edges in much the same
 * order every interval: an edge's names are checked against the previous line's (src id, dst id)
 * pairs at a cursor and a few after it, and the cursor moves past the pair the edge was found
 * at, so an edge that fell silent or a new one does not throw every later edge off its place,
 * as a guess by place did (at 1,000 services ~1 % of the edges come and go each interval).
 * vectorize (src/detectors) follows the previous snapshot's order the same way.
 *
 * Per line: startLine(); per edge, a guess for each of its names in the order the line lists
 * them (guessSrc, guessDst), then follow(src, dst) with the ids guessed or, for a name not
 * guessed, looked up in the table; endLine() when the line was read (a line left to the general
 * path leaves the previous order as it was). Ids are the owner's NameTable's: when the owner
 * clears the table, it forgets the previous order.
 */
export class EdgeOrderFollower {
  /** The previous line's (src id, dst id) pairs in its order, and this line's so far. */
  private prevSrc = new Int32Array(256);
  private prevDst = new Int32Array(256);
  private prevCount = 0;
  private curSrc = new Int32Array(256);
  private curDst = new Int32Array(256);
  private curCount = 0;
  private at = 0;
  /** After a guess that found the name: the index just past its bytes (its closing quote). */
  nameEnd = 0;

  constructor(private readonly names: NameTable) {}

  /** Where in the previous line's order this line's next edge is looked for first. */
  get cursor(): number {
    return this.at;
  }

  /** The previous line's order no longer holds (its ids were cleared). */
  forget(): void {
    this.prevCount = 0;
  }

  startLine(): void {
    this.curCount = 0;
    this.at = 0;
  }

  /** This line's order becomes the one the next line is guessed from. */
  endLine(): void {
    [this.prevSrc, this.curSrc] = [this.curSrc, this.prevSrc];
    [this.prevDst, this.curDst] = [this.curDst, this.prevDst];
    this.prevCount = this.curCount;
  }

  /**
   * The id of the src name whose bytes start at `b[s]` (just past its opening quote) and end
   * at a quote, when the previous line has it at the cursor or a few after as the src of an
   * edge to `dst` (−1: not read yet, any edge); else −1 (the caller looks the name up).
   */
  guessSrc(b: Uint8Array, s: number, end: number, dst: number): number {
    return this.guess(this.prevSrc, this.prevDst, dst, b, s, end);
  }

  /** guessSrc's twin for the dst name of an edge from `src`. */
  guessDst(b: Uint8Array, s: number, end: number, src: number): number {
    return this.guess(this.prevDst, this.prevSrc, src, b, s, end);
  }

  private guess(ids: Int32Array, others: Int32Array, other: number, b: Uint8Array, s: number, end: number): number {
    const stop = Math.min(this.prevCount, this.at + LOOK_AHEAD);
    for (let q = this.at; q < stop; q++) {
      if (other !== -1 && others[q] !== other) continue;
      const guess = ids[q]!;
      const after = this.names.match(guess, b, s, end);
      if (after !== -1 && b[after] === QUOTE) {
        this.nameEnd = after;
        return guess;
      }
    }
    return -1;
  }

  /** The edge src → dst was read: it joins this line's order, and the cursor moves past it when the previous line had it at the cursor or a few after. */
  follow(src: number, dst: number): void {
    const stop = Math.min(this.prevCount, this.at + LOOK_AHEAD);
    for (let q = this.at; q < stop; q++) {
      if (this.prevSrc[q] === src && this.prevDst[q] === dst) {
        this.at = q + 1;
        break;
      }
    }
    if (this.curCount === this.curSrc.length) {
      this.curSrc = doubled(this.curSrc);
      this.curDst = doubled(this.curDst);
    }
    this.curSrc[this.curCount] = src;
    this.curDst[this.curCount] = dst;
    this.curCount++;
  }
}

/** `a` in an array twice as long (the rest 0). */
function doubled(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const out = new Int32Array(2 * a.length);
  out.set(a);
  return out;
}
