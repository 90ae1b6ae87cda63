import type { Frame } from '../../types.ts';
import { ensureLength } from '../growable.ts';
import type { SeriesLabel } from '../stats/index.ts';
import type { ResidualSource } from './residualSource.ts';

/**
 * Two residual sources over the same edges as one: per edge, the larger standardised residual
 * of the two (NaN only when neither scored it), so a detector sees whichever view of the edge
 * shows more. `first` leads: its idle edges, active list, recycled positions, residuals in bytes
 * and labels are the combination's (an edge the second one scores is never idle in the first:
 * see RequestMixResiduals, which scores only edges carrying traffic). Learning an edge teaches
 * both, so both are gated by the same alarms.
 *
 * The larger of two z's has a heavier upper tail than either; the detectors reading it
 * calibrate their thresholds on what they score (CalibratedLimit), so the false-alarm promise
 * holds on the combination, not on a normal table.
 */
export class LargerResidual implements ResidualSource {
  z = new Float64Array(64);

  constructor(
    readonly first: ResidualSource,
    readonly second: ResidualSource,
  ) {}

  get edgeCount(): number {
    return this.first.edgeCount;
  }

  get active(): Int32Array | undefined {
    return this.first.active;
  }

  get recycled(): Int32Array | undefined {
    return this.first.recycled;
  }

  get residual(): Float64Array {
    return this.first.residual;
  }

  read(frame: Frame): number {
    // What the last read covered: z was set on those edges only (a source's active list is the
    // frame's own, fresh per frame, so it still holds the last one's until read again).
    const lastActive = this.first.active;
    const lastCount = this.first.edgeCount;
    const n = this.first.read(frame);
    this.second.read(frame);
    this.z = ensureLength(this.z, n);
    const a = this.first.z;
    const b = this.second.z;
    const z = this.z;
    const active = this.first.active;
    if (active === undefined) {
      for (let e = 0; e < n; e++) z[e] = larger(a[e]!, b[e]!);
    } else {
      // Every other edge is idle in the first source, so NaN here as there: only the edges
      // set last time (or new since) need it again, O(active edges).
      if (lastActive === undefined) z.fill(Number.NaN, 0, n);
      else {
        for (const e of lastActive) z[e] = Number.NaN;
        if (n > lastCount) z.fill(Number.NaN, lastCount, n);
      }
      for (const e of active) z[e] = larger(a[e]!, b[e]!);
    }
    return n;
  }

  /** The first source's (whose residuals, in bytes, these are). */
  value(e: number): number {
    return this.first.value(e);
  }

  isScored(e: number): boolean {
    return e < this.edgeCount && !Number.isNaN(this.z[e]!);
  }

  learn(e: number): void {
    this.first.learn(e);
    this.second.learn(e);
  }

  label(e: number): SeriesLabel {
    return this.first.label(e);
  }
}

function larger(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return a > b ? a : b;
}
