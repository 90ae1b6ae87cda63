import type { RunEvent } from '../types.ts';
import { attackSize } from './attackSize.ts';
import type { ScoredIntervals } from './Evaluator.ts';
import { operatingPoints } from './operatingPoints.ts';
import type { FalseAlarmPromise, ReplaySummary } from './ReplaySummary.ts';
import { poolPromises, type PooledPromise } from './falseAlarmPromise.ts';
import { rocAuc } from './rocAuc.ts';
import { thresholdCaveat } from './thresholdCaveat.ts';

/** One run replayed: what a comparison of runs reads from it. */
export interface ReplayedRun {
  /** The run's name in the comparison (its folder's name). */
  readonly run: string;
  readonly summary: ReplaySummary;
  /** Per detector, its scored intervals on the threshold's scale (runReplay's `scored`). */
  readonly scored: ReadonlyMap<string, ScoredIntervals>;
  /**
   * A copy of another run with attacks written in (run.json `injected`): its benign intervals
   * are that run's traffic again, so they are left out of the pooled promise (PooledFigures.promise).
   */
  readonly injectedCopy?: boolean;
}

/** One detector's figures pooled over runs (all of them, or those of one exfiltration size). */
export interface PooledFigures {
  /** Runs in which the detector scored at least one interval. */
  readonly runs: number;
  /** Attack events with a scored interval (their own or the one right after), and those alarmed on. */
  readonly events: number;
  readonly caught: number;
  /** caught / events; null without events. */
  readonly tpr: number | null;
  /** Benign scored intervals (grace intervals left out) and the alarms among them. */
  readonly benignIntervals: number;
  readonly falseAlarms: number;
  /** falseAlarms / benignIntervals; null without benign intervals. */
  readonly fpr: number | null;
  readonly attackIntervals: number;
  /**
   * ROC area of the pooled intervals' relativeScore (score ÷ threshold); for one run's own
   * figures (runFigures), of its raw scores, as its summary.json. Null without both classes.
   */
  readonly auc: number | null;
  /** At the configured false-alarm rate, read off the same ROC: the threshold (relative, or raw for one run), interval TPR, the FPR it really gives. */
  readonly atRate: { readonly fpr: number; readonly threshold: number | null; readonly tpr: number | null; readonly achievedFpr: number | null };
  /**
   * The runs' falseAlarmPromise pooled: episodes and judged intervals summed, tested at their
   * common rate (a sum of binomials of one rate is one), over the runs that are not injected
   * copies (ReplayedRun.injectedCopy: the same benign traffic again is no new evidence, and
   * counted thirteen times it made a sweep's P thirteen orders of magnitude too small). Absent
   * when a run's summary lacks it, the runs promised different rates, or every run is a copy.
   */
  readonly promise?: PooledPromise;
}

/** A row of the table by exfiltration size. */
export interface BytesRow {
  /** Events' size (attackSize: `requestedBytes` when they carry it, else `bytes`); null for runs without attacks (`benign`) or attacks without a size (`unknown`). */
  readonly bytes: number | null;
  readonly label: string;
  /** Runs in the row: those with an attack of this size (a run with several sizes is in each), or without any attack. */
  readonly runs: readonly string[];
  readonly detectors: Readonly<Record<string, PooledFigures>>;
}

export interface RunsComparison {
  readonly detectors: readonly string[];
  /** The false-alarm rate `atRate` is read at (detectors.falseAlarmRate). */
  readonly falseAlarmRate: number;
  readonly pooled: Readonly<Record<string, PooledFigures>>;
  /** Rows by size (benign first, then bytes ascending, unknown last); empty when every run has the same one. */
  readonly byBytes: readonly BytesRow[];
  /** Attacks that are no exfiltration, by kind (`scan`, `lateral`): in the pooled figures, in no row of byBytes (they have no size). */
  readonly byBytesLeftOut: Readonly<Record<string, number>>;
  /**
   * Per detector, the runs where it had no threshold on every scored interval or on attack
   * intervals (thresholdCaveat): its figures there count intervals it could not judge.
   */
  readonly uncalibratedRuns?: Readonly<Record<string, number>>;
}

type SizeKey = number | 'benign' | 'unknown';

/**
 * The size an exfiltration is counted under (attackSize: requestedBytes, else bytes); undefined
 * for an attack of another kind: a scan or a lateral movement moves no data to size it by, and
 * counted as `unknown` it read as an exfiltration whose size was not recorded.
 */
function sizeOf(event: RunEvent | undefined): SizeKey | undefined {
  if (event === undefined || event.kind !== 'exfiltration') return undefined;
  const bytes = attackSize(event);
  return bytes === undefined ? 'unknown' : bytes;
}

/** The sizes of a run's exfiltrations; `benign` when it has no attack at all. */
function runSizes(run: ReplayedRun): Set<SizeKey> {
  const sizes = new Set<SizeKey>();
  for (const a of run.summary.attacks) {
    const size = sizeOf(a);
    if (size !== undefined) sizes.add(size);
  }
  if (run.summary.attacks.length === 0) sizes.add('benign');
  return sizes;
}

/**
 * Pool one detector over `runs`: events from the summaries (only those `size` admits, when
 * given), false alarms and benign intervals from the summaries' counts, and one ROC over every
 * run's scored intervals (attack intervals of that size only) on the threshold's scale, or on
 * the raw scores when `raw` (one run alone: its scores share one scale).
 */
function pool(runs: readonly ReplayedRun[], detector: string, rate: number, size?: SizeKey, raw = false): PooledFigures {
  let used = 0;
  let events = 0;
  let caught = 0;
  let benign = 0;
  let falseAlarms = 0;
  const promises: (FalseAlarmPromise | undefined)[] = [];
  const relative: number[] = [];
  const labels: number[] = [];
  for (const run of runs) {
    const d = run.summary.detectors[detector];
    const scored = run.scored.get(detector);
    if (d === undefined) continue;
    used += 1;
    for (const o of d.events.outcomes) {
      if (!o.scored) continue;
      if (size !== undefined && sizeOf(run.summary.attacks[o.attack]) !== size) continue;
      events += 1;
      if (o.detected) caught += 1;
    }
    benign += d.fp + d.tn;
    falseAlarms += d.fp;
    // An injected copy's benign traffic is another run's: no evidence of its own about the promise.
    if (run.injectedCopy !== true) promises.push(d.falseAlarmPromise);
    if (scored === undefined) continue;
    for (let i = 0; i < scored.labels.length; i++) {
      const attack = scored.labels[i] === 1;
      // An attack interval of another size belongs to another row.
      if (attack && size !== undefined && !sameSize(scored.attackBytes[i]!, size)) continue;
      relative.push(raw ? scored.scores[i]! : scored.relative[i]!);
      labels.push(attack ? 1 : 0);
    }
  }
  const [point] = operatingPoints(relative, labels, [rate]);
  return {
    runs: used,
    events,
    caught,
    tpr: events === 0 ? null : caught / events,
    benignIntervals: benign,
    falseAlarms,
    fpr: benign === 0 ? null : falseAlarms / benign,
    attackIntervals: labels.reduce((a, b) => a + b, 0),
    auc: rocAuc(relative, labels),
    atRate: { fpr: rate, threshold: point!.threshold, tpr: point!.tpr, achievedFpr: point!.achievedFpr },
    ...withPromise(poolPromises(promises)),
  };
}

/** `{promise}` when there is one (exactOptionalPropertyTypes: no `promise: undefined`). */
function withPromise(promise: PooledPromise | undefined): { promise?: PooledPromise } {
  return promise === undefined ? {} : { promise };
}

/**
 * One run's own figures per detector, as its summary.json gives them: AUC and the operating
 * point at `falseAlarmRate` on its raw scores (the same column must not mean two things;
 * score ÷ threshold is only needed to pool runs calibrated to different scales).
 */
export function runFigures(run: ReplayedRun, falseAlarmRate: number): Record<string, PooledFigures> {
  return Object.fromEntries(Object.keys(run.summary.detectors).map((d) => [d, pool([run], d, falseAlarmRate, undefined, true)]));
}

/** attackBytes (the size of the largest exfiltration an interval overlaps; 0 when that one has no size, -1 when it overlaps none) against a row's size. */
function sameSize(bytes: number, size: SizeKey): boolean {
  return size === 'unknown' ? bytes === 0 : bytes === size;
}

/**
 * Compare detectors over many replayed runs: each detector's events caught / events, false
 * alarms / benign scored intervals and the ROC area, pooled over the runs (a run's intervals
 * count once each, not a mean of per-run rates), and the interval TPR at `falseAlarmRate` read
 * off the pooled ROC. Scores of different runs are on each run's own calibrated scale, so what
 * is pooled is each interval's score ÷ its threshold (relativeScore). When the runs'
 * exfiltrations differ in size, the same figures per size (other attacks counted apart).
 */
export function compareRuns(runs: readonly ReplayedRun[], falseAlarmRate: number): RunsComparison {
  const detectors: string[] = [];
  for (const r of runs) for (const d of Object.keys(r.summary.detectors)) if (!detectors.includes(d)) detectors.push(d);
  const pooled = Object.fromEntries(detectors.map((d) => [d, pool(runs, d, falseAlarmRate)]));
  const sizes = new Set<SizeKey>();
  for (const r of runs) for (const s of runSizes(r)) sizes.add(s);
  const ordered = [...sizes].sort((a, b) => rank(a) - rank(b) || (a as number) - (b as number));
  const byBytes =
    ordered.length < 2
      ? []
      : ordered.map((size): BytesRow => {
          const members = runs.filter((r) => runSizes(r).has(size));
          // A benign row has no attack of its own: its figures are the false alarms of runs without attacks.
          const detectorsOfRow = Object.fromEntries(detectors.map((d) => [d, pool(members, d, falseAlarmRate, size === 'benign' ? undefined : size)]));
          return { bytes: typeof size === 'number' ? size : null, label: typeof size === 'number' ? String(size) : size, runs: members.map((r) => r.run), detectors: detectorsOfRow };
        });
  const byBytesLeftOut: Record<string, number> = {};
  for (const r of runs) for (const a of r.summary.attacks) if (a.kind !== 'exfiltration') byBytesLeftOut[a.kind] = (byBytesLeftOut[a.kind] ?? 0) + 1;
  // Runs whose figures for a detector count intervals it judged without a threshold where it mattered: marked in the table.
  const uncalibratedRuns = Object.fromEntries(detectors.map((d) => [d, runs.filter((r) => r.summary.detectors[d] !== undefined && thresholdCaveat(r.summary.detectors[d]!) !== undefined).length]));
  return { detectors, falseAlarmRate, pooled, byBytes, byBytesLeftOut, uncalibratedRuns };
}

function rank(s: SizeKey): number {
  return s === 'benign' ? 0 : s === 'unknown' ? 2 : 1;
}
