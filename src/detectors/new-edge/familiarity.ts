import { ensureLength, ensureLengthBytes, ensureLengthInt } from '../growable.ts';
import { RELEARN_AFTER_INTERVALS } from '../stats/index.ts';

/** Never carried traffic, or forgotten. */
const UNKNOWN = 0;
/** Learnt from traffic (training, or enough intervals after it); forgotten after a silence. */
const LEARNT = 1;
/** Allowed by the policy: never forgotten, never needs learning. */
const POLICY = 2;

export interface FamiliarityParameters {
  /** Intervals of traffic (outside a fan-out burst) after which a thing is learnt; 0: never learnt after training. */
  readonly allowAfterIntervals: number;
  /** Silence, in seconds, after which a learnt thing is unknown again. */
  readonly forgetAfterSeconds: number;
}

/**
 * What `new-edge` knows about a set of numbered things (edges, or nodes): whether each is
 * allowed, how many intervals it has carried traffic in while still unknown, and when it was
 * last active. Constant memory per thing (typed arrays grown by doubling).
 */
export class Familiarity {
  private state = new Uint8Array(64);
  private intervals = new Int32Array(64);
  private lastActive = new Float64Array(64);
  /** Per thing: fan-out intervals in a row while unknown, and the frame number of the last one. */
  private burstRun = new Int32Array(64);
  private burstFrame = new Int32Array(64);

  constructor(private readonly p: FamiliarityParameters) {}

  /** Mark thing i as allowed by the policy (decided once, when it first appears). */
  allowByPolicy(i: number): void {
    this.reserve(i);
    this.state[i] = POLICY;
  }

  /** Training: traffic in the declared-benign stretch makes i learnt at once. */
  learnNow(i: number, t: number): void {
    this.reserve(i);
    if (this.state[i] !== POLICY) this.state[i] = LEARNT;
    this.lastActive[i] = t;
  }

  /**
   * Whether i, active in the interval ending at t, is known: allowed by the policy, or learnt
   * and not silent for more than forgetAfterSeconds (a forgotten thing starts over from zero).
   */
  isKnown(i: number, t: number): boolean {
    this.reserve(i);
    const s = this.state[i]!;
    if (s === POLICY) return true;
    if (s === LEARNT && t - this.lastActive[i]! > this.p.forgetAfterSeconds) {
      this.state[i] = UNKNOWN;
      this.intervals[i] = 0;
      this.burstRun[i] = 0;
    }
    return this.state[i] === LEARNT;
  }

  /**
   * After judging: i carried traffic in the interval ending at t (judged frame number `frame`).
   * An unknown thing counts the interval towards being learnt when `counts` (it was not part of
   * a fan-out burst). One that was part of a fan-out burst in RELEARN_AFTER_INTERVALS frames in a
   * row is learnt too: a scan touches each target once or twice, but a node that opens the same
   * new edges interval after interval is a new normal (a canary: svc-0 sending a tenth of its
   * calls to a new version of each of its callees alarmed on every interval for the rest of a
   * run, 1,000 of 1,000). As elsewhere, 5 alarms in a row make a new normal (LearningGate).
   */
  record(i: number, t: number, counts: boolean, frame = -1): void {
    this.reserve(i);
    if (this.state[i] === UNKNOWN && this.p.allowAfterIntervals > 0) {
      if (counts) {
        if (++this.intervals[i]! >= this.p.allowAfterIntervals) this.state[i] = LEARNT;
      } else if (frame >= 0) {
        this.burstRun[i] = this.burstFrame[i] === frame - 1 && this.burstRun[i]! > 0 ? this.burstRun[i]! + 1 : 1;
        this.burstFrame[i] = frame;
        if (this.burstRun[i]! >= RELEARN_AFTER_INTERVALS) this.state[i] = LEARNT;
      }
    }
    this.lastActive[i] = t;
  }

  /** Thing i is another thing from now on (its number was reused): unknown, nothing counted, decided afresh. */
  forget(i: number): void {
    if (i >= this.state.length) return;
    this.state[i] = UNKNOWN;
    this.intervals[i] = 0;
    this.lastActive[i] = 0;
    this.burstRun[i] = 0;
  }

  private reserve(i: number): void {
    if (i < this.state.length) return;
    this.state = ensureLengthBytes(this.state, i + 1);
    this.intervals = ensureLengthInt(this.intervals, i + 1);
    this.lastActive = ensureLength(this.lastActive, i + 1);
    this.burstRun = ensureLengthInt(this.burstRun, i + 1);
    this.burstFrame = ensureLengthInt(this.burstFrame, i + 1);
  }
}
