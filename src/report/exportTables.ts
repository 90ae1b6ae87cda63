import * as aq from 'arquero';
import { spreadsheetText } from '../evaluation/outputFields.ts';
import { ownValue } from '../ownValue.ts';
import type { RunManifest, Snapshot } from '../types.ts';
import type { ScoreRow } from './readScoresCsv.ts';
import type { AlertLine } from './replayFiles.ts';
import { isAttackInterval, isGraceInterval, type Timeline } from './timeline.ts';

// The tables `npm run export` writes, one run (or one replay of it) at a time. Names that come
// from telemetry (nodes, metrics, detectors), and run folder names, go through spreadsheetText (a leading ' before what a
// spreadsheet would run as a formula); arquero quotes what CSV needs quoted.

export const TRAFFIC_COLUMNS = ['t', 'src', 'dst', 'metric', 'value'] as const;
export const INTERVAL_COLUMNS = ['t', 'dt', 'gap', 'attack', 'grace'] as const;
export const SCORE_COLUMNS = ['t', 'detector', 'score', 'threshold', 'alarm', 'training', 'attack', 'grace'] as const;
export const ALERT_COLUMNS = ['t', 'detector', 'score', 'threshold', 'attack', 'rank', 'src', 'dst', 'metric', 'blamedScore'] as const;

/** Long form: one row per interval, edge that carried traffic and metric of run.json (0 where none of it). */
export function trafficTable(run: RunManifest, snapshots: readonly Snapshot[]): aq.ColumnTable {
  let n = 0;
  for (const s of snapshots) n += s.edges.length * run.metrics.length;
  const t = new Float64Array(n);
  const value = new Float64Array(n);
  const src = new Array<string>(n);
  const dst = new Array<string>(n);
  const metric = new Array<string>(n);
  // Metric names are run.json's, which may hold any key (an import keeps an unknown one).
  const metricText = run.metrics.map(spreadsheetText);
  let i = 0;
  for (const s of snapshots) {
    for (const e of s.edges) {
      for (let k = 0; k < run.metrics.length; k++) {
        const m = run.metrics[k]!;
        t[i] = s.t;
        src[i] = spreadsheetText(e.src);
        dst[i] = spreadsheetText(e.dst);
        metric[i] = metricText[k]!;
        value[i] = ownValue(e.values, m) ?? 0;
        i++;
      }
    }
  }
  return aq.table({ t, src, dst, metric, value });
}

/** Every interval with its gap flag and where it stands against the run's attacks. */
export function intervalsTable(snapshots: readonly Snapshot[], timeline: Timeline): aq.ColumnTable {
  return aq.table({ t: snapshots.map((s) => s.t), dt: snapshots.map((s) => s.dt), gap: snapshots.map((s) => s.gap), attack: timeline.attack, grace: timeline.grace });
}

/** Empty, not "NaN", for a missing number: both pandas and R read that as missing. */
// Empty, not "NaN" or "Infinity", for a missing or non-finite number (not scored yet, or an
// older replay's overflow): pandas and R read that as missing, and no plot can use an infinity.
const orEmpty = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Replay's scores with the ground truth, plus, per detector, a `training` row (no score) for
 * every interval before its first scored one that is not a gap: replay's scores.csv holds only
 * scored intervals, and a researcher lining scores up with intervals.csv wants to tell training
 * from gaps.
 */
export function scoresTable(rows: readonly ScoreRow[], snapshots: readonly Snapshot[], timeline: Timeline, intervalSeconds: number): aq.ColumnTable {
  const firstScored = new Map<string, number>();
  for (const r of rows) if (!firstScored.has(r.detector) || r.t < firstScored.get(r.detector)!) firstScored.set(r.detector, r.t);
  type Row = { t: number; detector: string; score: number | null; threshold: number | null; alarm: boolean | null; training: boolean };
  const all: Row[] = [];
  for (const [detector, first] of firstScored) {
    for (const s of snapshots) {
      if (s.t >= first - 1e-6) break;
      if (!s.gap) all.push({ t: s.t, detector, score: null, threshold: null, alarm: null, training: true });
    }
  }
  for (const r of rows) all.push({ t: r.t, detector: r.detector, score: orEmpty(r.score), threshold: orEmpty(r.threshold), alarm: r.alarm, training: false });
  // In time, then in the detectors' order of replay's file.
  const order = [...firstScored.keys()];
  all.sort((a, b) => a.t - b.t || order.indexOf(a.detector) - order.indexOf(b.detector));
  return aq.table({
    t: all.map((r) => r.t),
    detector: all.map((r) => spreadsheetText(r.detector)),
    score: all.map((r) => r.score),
    threshold: all.map((r) => r.threshold),
    alarm: all.map((r) => r.alarm),
    training: all.map((r) => r.training),
    attack: all.map((r) => isAttackInterval(timeline, r.t, intervalSeconds)),
    grace: all.map((r) => isGraceInterval(timeline, r.t, intervalSeconds)),
  });
}

/** An alert with its score and threshold as alerts.ndjson has them. */
export interface ExportedAlert extends AlertLine {
  readonly score: number;
  readonly threshold: number;
}

/** One row per alarm and blamed edge (rank 1 = the edge blamed first); an alarm blaming none gets one row without an edge. */
export function alertsTable(alerts: readonly ExportedAlert[], timeline: Timeline, intervalSeconds: number): aq.ColumnTable {
  const cols: Record<(typeof ALERT_COLUMNS)[number], unknown[]> = { t: [], detector: [], score: [], threshold: [], attack: [], rank: [], src: [], dst: [], metric: [], blamedScore: [] };
  for (const a of alerts) {
    const attack = isAttackInterval(timeline, a.t, intervalSeconds);
    const edges = a.blamed.length > 0 ? a.blamed : [undefined];
    edges.forEach((b, i) => {
      cols.t.push(a.t);
      cols.detector.push(spreadsheetText(a.detector));
      cols.score.push(orEmpty(a.score));
      cols.threshold.push(orEmpty(a.threshold));
      cols.attack.push(attack);
      cols.rank.push(b ? i + 1 : null);
      cols.src.push(b ? spreadsheetText(b.src) : null);
      cols.dst.push(b ? spreadsheetText(b.dst) : null);
      cols.metric.push(b?.metric === undefined ? null : spreadsheetText(b.metric));
      cols.blamedScore.push(b ? orEmpty(b.score) : null);
    });
  }
  return aq.table(cols);
}
