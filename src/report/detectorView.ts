import { attackOutcomes, type AttackOutcome } from './attackOutcomes.ts';
import { seriesColor } from './charts/palette.ts';
import { sameRate } from './configuredFalseAlarmRate.ts';
import { edgeKey } from './edgeVolumes.ts';
import type { ReportInputs } from './loadReportInputs.ts';
import type { ScoreRow } from './readScoresCsv.ts';
import type { AlertLine } from './replayFiles.ts';
import type { DetectorSummary } from './replayFiles.ts';
import { rocCurve, type RocCurve } from './roc.ts';
import { firstBlameOnPath, noPathToCheck } from '../evaluation/attackIntervals.ts';
import { DEFAULT_AT_FPR, operatingPoints, type OperatingPoint } from '../evaluation/operatingPoints.ts';
import { isAttackInterval, isGraceInterval, type Timeline } from './timeline.ts';

/** One detector's part of the report. */
export interface DetectorView {
  readonly name: string;
  readonly color: string;
  /** Its rows of scores.csv, in increasing t. */
  readonly rows: readonly ScoreRow[];
  readonly summary?: DetectorSummary;
  readonly roc?: RocCurve;
  /** (fpr, tpr) at its threshold: summary.json's, else counted from the alarms. */
  readonly operating?: { readonly fpr: number; readonly tpr: number };
  /** Per attack, in timeline order. */
  readonly outcomes: readonly AttackOutcome[];
  /**
   * Of its alarms in attack intervals, how many first blame an edge of that attack:
   * summary.json's `blame`, else counted from alerts.ndjson (replays from before it existed).
   */
  readonly blame?: { readonly alarms: number; readonly onPath: number; readonly withoutPath?: number | undefined };
  /**
   * Threshold and TPR at false-alarm rates: summary.json's, else read off the ROC of scores.csv
   * at 0.01 and 0.001; preceded by the configured rate's, read off that ROC, when it is not one of them.
   */
  readonly operatingPoints: readonly OperatingPoint[];
  /** Edges its alerts blamed most often. */
  readonly blamed: readonly { readonly src: string; readonly dst: string; readonly alerts: number }[];
  /** Rows of scores.csv whose t is no interval of the run. */
  readonly unmatchedRows: number;
}

const rate = (a: number, b: number): number => (a + b > 0 ? a / (a + b) : Number.NaN);

/**
 * A detector's rows of scores.csv against the run: ROC, operating point, attacks caught, blamed
 * edges. `configuredRate`: the replay's detectors.falseAlarmRate, whose operating point is shown too.
 */
export function detectorView(name: string, index: number, rows: ScoreRow[], inputs: ReportInputs, timeline: Timeline, configuredRate?: number): DetectorView {
  const summary = inputs.summary.detectors[name];
  let unmatchedRows = 0;
  const alarms = new Set<number>();
  const scored = new Set<number>();
  const dt = inputs.run.intervalSeconds;
  const labelled = rows.flatMap((r) => {
    const pos = timeline.positionOf(r.t);
    if (pos === undefined) unmatchedRows++;
    else {
      scored.add(pos);
      if (r.alarm) alarms.add(pos);
    }
    // Grace intervals are left out of the counts and the ROC (an alarm there still detects).
    if (isGraceInterval(timeline, r.t, dt)) return [];
    return [{ score: r.score, attack: isAttackInterval(timeline, r.t, dt), alarm: r.alarm }];
  });
  const roc = rocCurve(labelled);
  let operating: { fpr: number; tpr: number } | undefined;
  if (typeof summary?.fpr === 'number' && typeof summary.tpr === 'number') operating = { fpr: summary.fpr, tpr: summary.tpr };
  else if (roc) {
    const tp = labelled.filter((r) => r.attack && r.alarm).length;
    const fp = labelled.filter((r) => !r.attack && r.alarm).length;
    operating = { fpr: rate(fp, roc.negatives - fp), tpr: rate(tp, roc.positives - tp) };
  }
  const counts = new Map<string, { src: string; dst: string; alerts: number }>();
  // Each alarm's blamed edges by interval, for whether the alarm that detected an attack was about it.
  const blamedAt = new Map<number, AlertLine['blamed']>();
  for (const alert of inputs.alerts) {
    if (alert.detector !== name) continue;
    const pos = timeline.positionOf(alert.t);
    if (pos !== undefined && !blamedAt.has(pos)) blamedAt.set(pos, alert.blamed);
    const seen = new Set<string>();
    for (const b of alert.blamed) {
      const k = edgeKey(b.src, b.dst);
      if (seen.has(k)) continue;
      seen.add(k);
      const entry = counts.get(k) ?? { src: b.src, dst: b.dst, alerts: 0 };
      entry.alerts++;
      counts.set(k, entry);
    }
  }
  const blamed = [...counts.values()].sort((a, b) => b.alerts - a.alerts).slice(0, 5);
  const recordedPoints = summary?.operatingPoints;
  const readOff = (rates: readonly number[]) =>
    operatingPoints(
      labelled.map((r) => r.score),
      labelled.map((r) => r.attack),
      rates,
    ).map((p) => (p.threshold === null || Number.isFinite(p.threshold) ? p : { ...p, threshold: null }));
  let points: readonly OperatingPoint[] = recordedPoints ?? readOff(DEFAULT_AT_FPR);
  // summary.json holds the fixed rates (or --at-fpr's): the rate the thresholds were calibrated
  // to is read off the same ROC here (scores.csv holds the scores the replay ranked).
  if (configuredRate !== undefined && !points.some((p) => sameRate(p.fpr, configuredRate))) points = [...readOff([configuredRate]), ...points];
  const recorded = summary?.blame;
  const blame = recorded ? { alarms: recorded.alarms, onPath: recorded.onPath, ...(summary?.blameWithoutPath !== undefined ? { withoutPath: summary.blameWithoutPath } : {}) } : blameFromAlerts(name, inputs, timeline);
  return {
    name,
    color: seriesColor(index),
    rows,
    ...(summary ? { summary } : {}),
    ...(roc ? { roc } : {}),
    ...(operating ? { operating } : {}),
    outcomes: attackOutcomes(timeline, scored, alarms, blamedAt),
    ...(blame ? { blame } : {}),
    operatingPoints: points,
    blamed,
    unmatchedRows,
  };
}

/** summary.json's `blame`, counted from the alerts of a replay that did not record it. */
function blameFromAlerts(name: string, inputs: ReportInputs, timeline: Timeline): { alarms: number; onPath: number; withoutPath?: number } | undefined {
  if (inputs.alerts.length === 0) return undefined;
  const events = timeline.attacks.map((a) => a.event);
  let alarms = 0;
  let onPath = 0;
  let withoutPath = 0;
  for (const alert of inputs.alerts) {
    if (alert.detector !== name) continue;
    const pos = timeline.positionOf(alert.t);
    if (pos === undefined || !timeline.attack[pos]) continue;
    const inside = timeline.attacks.flatMap((a, k) => (a.intervals.includes(pos) ? [k] : []));
    alarms++;
    if (firstBlameOnPath(alert.blamed, events, inside)) onPath++;
    else if (noPathToCheck(events, inside)) withoutPath++;
  }
  return { alarms, onPath, ...(withoutPath > 0 ? { withoutPath } : {}) };
}
