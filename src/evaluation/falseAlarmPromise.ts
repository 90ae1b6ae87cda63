import { terminalText } from '../terminalText.ts';
import { binomialUpperTail } from './binomial.ts';
import type { DetectorSummary, FalseAlarmPromise, ReplaySummary } from './ReplaySummary.ts';
import { PROMISE_SIGNIFICANCE } from './promiseSignificance.ts';

export { PROMISE_SIGNIFICANCE };

/** Options that replace the calibrated limit with a fixed one: with any of them there is no rate to keep. */
const FIXED_LIMIT_OPTIONS = ['k', 'alpha', 'criticalProbability'] as const;

/** The resolved parameters' `detectors`, as far as the rates go. */
export interface RateSettings {
  readonly falseAlarmRate: number;
  readonly options: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;
}

/**
 * The false-alarm rate detector `name` calibrates its threshold to: its own `falseAlarmRate`,
 * else the detectors' one; undefined when a fixed limit (`k`, `alpha`, `criticalProbability`)
 * replaces the calibrated one, since such a detector promises no rate.
 */
export function promisedRate(settings: RateSettings, name: string): number | undefined {
  const own = settings.options[name] ?? {};
  if (FIXED_LIMIT_OPTIONS.some((f) => own[f] !== undefined)) return undefined;
  return typeof own['falseAlarmRate'] === 'number' ? own['falseAlarmRate'] : settings.falseAlarmRate;
}

/**
 * Whether a detector's false alarms on this run are consistent with the rate it promised: the
 * chance, at that rate, of as many false-alarm episodes in the benign intervals it judged with a
 * threshold (a one-sided binomial test). Episodes, not intervals: a run of L adjacent false
 * alarms counts ⌈L/2⌉ (DetectorSummary.falseAlarmEpisodes), because one cause often alarms in two
 * adjacent intervals, and counting both would claim a broken promise too readily; a run counted
 * once whatever its length would let a detector that alarms without end pass. Intervals it had
 * no threshold on could not alarm and are left out. Undefined for a summary without episodes.
 */
export function falseAlarmPromise(d: DetectorSummary, rate: number): FalseAlarmPromise | undefined {
  const uncalibratedBenign = (d.uncalibratedIntervals ?? 0) - (d.uncalibratedAttackIntervals ?? 0);
  const judgedIntervals = d.fp + d.tn - uncalibratedBenign;
  const episodes = d.falseAlarmEpisodes;
  // None judged (its limit never calibrated): nothing promised was tested, p = 1; still written, so a pooled test counts the run as the nothing it adds.
  if (episodes === undefined) return undefined;
  return { rate, judgedIntervals, episodes, p: binomialUpperTail(episodes, judgedIntervals, rate) };
}

/** The summary with each detector's falseAlarmPromise (those that promise a rate). */
export function withFalseAlarmPromises(summary: ReplaySummary, settings: RateSettings): ReplaySummary {
  const detectors: Record<string, DetectorSummary> = {};
  for (const [name, d] of Object.entries(summary.detectors)) {
    const rate = promisedRate(settings, name);
    const promise = rate === undefined ? undefined : falseAlarmPromise(d, rate);
    detectors[name] = promise === undefined ? d : { ...d, falseAlarmPromise: promise };
  }
  return { ...summary, detectors };
}

/**
 * Lines for the detectors whose false alarms broke their promise on this run (p below
 * PROMISE_SIGNIFICANCE), with the FPR's 95 % interval (the summary's fprInterval95): the table's
 * FPR is one run's estimate, and on a few dozen intervals a wide one.
 */
export function promiseNotes(detectors: readonly (readonly [string, DetectorSummary])[]): string[] {
  const broken = detectors.filter(([, d]) => d.falseAlarmPromise !== undefined && d.falseAlarmPromise.p < PROMISE_SIGNIFICANCE);
  if (broken.length === 0) return [];
  const lines = broken.map(([name, d]) => {
    const promise = d.falseAlarmPromise!;
    const interval = d.fprInterval95;
    const range = interval == null ? '' : `, 95 % interval ${interval[0].toFixed(3)}-${interval[1].toFixed(3)}`;
    return `  ${terminalText(name)}: ${promise.episodes} episode(s) in ${promise.judgedIntervals} judged benign intervals at a rate of ${promise.rate} (P = ${formatP(promise.p)}); FPR ${d.fpr === null ? '-' : d.fpr.toFixed(3)}${range}`;
  });
  return [promiseHeading(''), ...lines];
}

/**
 * The line above a list of broken promises, the same in every table that has one; `scope` says
 * over what (', over the runs'), `extra` adds to the parenthesis.
 */
export function promiseHeading(scope: string, extra = ''): string {
  return `false alarms beyond the rate their thresholds were calibrated to${scope} (P < ${PROMISE_SIGNIFICANCE} of so many at that rate; false alarms counted in episodes, adjacent pairs once${extra}):`;
}

/** One broken promise pooled over runs, as the comparison tables list it: `label: … of N run(s) at a rate of r (P = …)`. */
export function pooledPromiseLine(label: string, p: PooledPromise): string {
  return `  ${label}: ${p.episodes} episode(s) in ${p.judgedIntervals} judged benign intervals of ${p.runs} run(s) at a rate of ${p.rate} (P = ${formatP(p.p)})`;
}

/** Runs' promises pooled: episodes and judged intervals summed at their common rate, with how many runs. */
export type PooledPromise = FalseAlarmPromise & { readonly runs: number };

/**
 * Independent runs' falseAlarmPromise pooled: episodes and judged intervals summed, tested at
 * their common rate (a sum of binomials of one rate is one), far stronger evidence than any one
 * run's. Undefined when there is none, when one lacks it (a summary written before it), or
 * when they promised different rates. The runs must be distinct recordings: copies of one
 * run's traffic are one observation (the caller leaves them out).
 */
export function poolPromises(promises: readonly (FalseAlarmPromise | undefined)[]): PooledPromise | undefined {
  if (promises.length === 0) return undefined;
  let judgedIntervals = 0;
  let episodes = 0;
  const rate = promises[0]?.rate;
  for (const p of promises) {
    if (p === undefined || p.rate !== rate) return undefined;
    judgedIntervals += p.judgedIntervals;
    episodes += p.episodes;
  }
  return { rate: rate!, judgedIntervals, episodes, runs: promises.length, p: binomialUpperTail(episodes, judgedIntervals, rate!) };
}

/** A p-value as the tables print it: 4 decimals, or 1 significant digit below 0.001. */
export function formatP(p: number): string {
  return p >= 0.001 ? p.toFixed(4) : p.toExponential(1);
}
