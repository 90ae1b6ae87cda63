import { ensureLength, ensureLengthInt } from '../growable.ts';

/**
 * Which slot of per-edge state (LoadResiduals' fits) each edge holds. An edge gets a slot when it
 * is first not idle, and loses it once idle for more than forgetAfterSeconds (its state then
 * starts over), so the slots held are those of the edges active within that time, not of every
 * edge ever seen: memory follows the live edges of a long log, not every edge it named.
 *
 * The owner keeps the state itself in arrays indexed by slot; `fresh(i)` is called for every
 * slot handed out anew (grow the arrays to hold slot i, clear its state).
 */
export class EdgeSlots {
  /** Per edge, its slot (−1: none). */
  private slotOf = new Int32Array(64).fill(-1);
  /** Per slot, its edge (−1: free) and the end of the edge's last non-idle interval. */
  private edgeOfSlot = new Int32Array(64).fill(-1);
  private lastActive = new Float64Array(64);
  private freeSlots = new Int32Array(64);
  private free = 0;
  /** Slots handed out so far (held or free): every slot id is below it. */
  private slots = 0;
  /** When the next sweep for forgotten slots is due (frame time). */
  private nextSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly forgetAfterSeconds: number,
    private readonly fresh: (i: number) => void,
  ) {}

  /** Room for n edges. */
  reserve(n: number): void {
    this.slotOf = ensureLengthInt(this.slotOf, n, -1);
  }

  /** Edge e's slot (−1: none). */
  of(e: number): number {
    return this.slotOf[e] ?? -1;
  }

  /**
   * The slot of edge e, not idle at time t (s): its own, or a fresh one when it has none or was
   * idle for more than forgetAfterSeconds (then its old state is forgotten).
   */
  take(e: number, t: number): number {
    let i = this.slotOf[e]!;
    if (i >= 0 && t - this.lastActive[i]! > this.forgetAfterSeconds) {
      this.release(i);
      i = -1;
    }
    if (i < 0) {
      i = this.free > 0 ? this.freeSlots[--this.free]! : this.slots++;
      if (i >= this.lastActive.length) {
        this.lastActive = ensureLength(this.lastActive, i + 1);
        this.edgeOfSlot = ensureLengthInt(this.edgeOfSlot, this.lastActive.length, -1);
      }
      this.fresh(i);
      this.slotOf[e] = i;
      this.edgeOfSlot[i] = e;
    }
    this.lastActive[i] = t;
    return i;
  }

  /** Edge e's state is dropped (its position now holds another edge). */
  drop(e: number): void {
    const i = this.slotOf[e]!;
    if (i >= 0) this.release(i);
  }

  /**
   * At time t (s), free the slots of edges idle for more than forgetAfterSeconds when a sweep is
   * due; runs every quarter of that time, so O(slots) now and then. Returns whether it ran.
   */
  sweep(t: number): boolean {
    if (t < this.nextSweep) return false;
    for (let i = 0; i < this.slots; i++) if (this.edgeOfSlot[i]! >= 0 && t - this.lastActive[i]! > this.forgetAfterSeconds) this.release(i);
    this.nextSweep = t + this.forgetAfterSeconds / 4;
    return true;
  }

  private release(i: number): void {
    this.slotOf[this.edgeOfSlot[i]!] = -1;
    this.edgeOfSlot[i] = -1;
    if (this.free === this.freeSlots.length) this.freeSlots = ensureLengthInt(this.freeSlots, this.free + 1);
    this.freeSlots[this.free++] = i;
  }
}
