import { attackOutcomes, type AttackOutcome } from './attackOutcomes.ts';
import { seriesColor } from './charts/palette.ts';
import { edgeKey } from './edgeVolumes.ts';
import type { ReportInputs } from './loadReportInputs.ts';
import type { ScoreRow } from './readScoresCsv.ts';
import type { DetectorSummary } from './replayFiles.ts';
import { rocCurve, type RocCurve } from './roc.ts';
import { isAttackInterval, type Timeline } from './timeline.ts';

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
  /** Edges its alerts blamed most often. */
  readonly blamed: readonly { readonly src: string; readonly dst: string; readonly alerts: number }[];
  /** Rows of scores.csv whose t is no interval of the run. */
  readonly unmatchedRows: number;
}

const rate = (a: number, b: number): number => (a + b > 0 ? a / (a + b) : Number.NaN);

/** A detector's rows of scores.csv against the run: ROC, operating point, attacks caught, blamed edges. */
export function detectorView(name: string, index: number, rows: ScoreRow[], inputs: ReportInputs, timeline: Timeline): DetectorView {
  const summary = inputs.summary.detectors[name];
  let unmatchedRows = 0;
  const alarms = new Set<number>();
  const scored = new Set<number>();
  const labelled = rows.map((r) => {
    const pos = timeline.positionOf(r.t);
    if (pos === undefined) unmatchedRows++;
    else {
      scored.add(pos);
      if (r.alarm) alarms.add(pos);
    }
    return { score: r.score, attack: isAttackInterval(timeline, r.t, inputs.run.intervalSeconds), alarm: r.alarm };
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
  for (const alert of inputs.alerts) {
    if (alert.detector !== name) continue;
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
  return {
    name,
    color: seriesColor(index),
    rows,
    ...(summary ? { summary } : {}),
    ...(roc ? { roc } : {}),
    ...(operating ? { operating } : {}),
    outcomes: attackOutcomes(timeline, scored, alarms),
    blamed,
    unmatchedRows,
  };
}
