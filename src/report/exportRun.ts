import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as aq from 'arquero';
import { spreadsheetText } from '../evaluation/index.ts';
import { checkWritableDir, describeFsError } from '../store/index.ts';
import { readRun } from './loadReportInputs.ts';
import { readScoresCsv } from './readScoresCsv.ts';
import { exists } from './readText.ts';
import { buildTimeline, isAttackInterval } from './timeline.ts';

export interface ExportOptions {
  /** The run directory. */
  readonly runDir: string;
  /** Folder the CSV files go to. Default: runDir/export. */
  readonly outDir?: string;
  /** Folder holding replay's scores.csv. Default: runDir/replay. */
  readonly replayDir?: string;
}

export interface ExportResult {
  /** Long-form traffic: t, src, dst, metric, value. */
  readonly traffic: { readonly path: string; readonly rows: number };
  /** Every interval: t, dt, gap, attack. */
  readonly intervals: { readonly path: string; readonly rows: number };
  /** Scores with the ground truth: t, detector, score, threshold, alarm, attack (absent without a replay). */
  readonly scores?: { readonly path: string; readonly rows: number };
}

/** Rows per toCSV call: bounds the size of one string, however long the run. */
const CHUNK_ROWS = 100_000;

/** Write an arquero table as CSV, chunk by chunk, then move it into place. */
async function writeTableCsv(table: aq.ColumnTable, path: string): Promise<number> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const file = await open(tmp, 'w');
    try {
      const rows = table.numRows();
      if (rows === 0) await file.write(`${table.columnNames().join(',')}\n`);
      for (let offset = 0; offset < rows; offset += CHUNK_ROWS) {
        await file.write(aq.toCSV(table, { offset, limit: CHUNK_ROWS, header: offset === 0 }));
      }
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (e) {
    // Disk full or the folder gone read-only: a clear error, and no half-written file left.
    await rm(tmp, { force: true });
    throw describeFsError(e, path, 'write the export', OUT_FIX);
  }
  return table.numRows();
}

const OUT_FIX = 'choose another folder with --out, or free some space';

/**
 * The run as CSV for pandas and R: traffic in long form (one row per interval, edge and
 * metric; every metric of run.json for each edge that carried traffic, 0 where it carried
 * none of that metric; pairs absent in an interval carried nothing), the intervals with
 * their gap and attack flags (a gap is unknown traffic, not zero: filter on it), and
 * replay's scores joined with the attack flag.
 */
export async function exportRun(options: ExportOptions): Promise<ExportResult> {
  const { run, snapshots, events } = await readRun(options.runDir);
  const outDir = options.outDir ?? join(options.runDir, 'export');
  const replayDir = options.replayDir ?? join(options.runDir, 'replay');
  // Checked before any work: an unwritable --out is one line naming it, not a stack trace.
  checkWritableDir(outDir, 'the export', OUT_FIX);
  await mkdir(outDir, { recursive: true }).catch((e: unknown) => {
    throw describeFsError(e, outDir, 'write the export', OUT_FIX);
  });
  const timeline = buildTimeline(snapshots, events);

  let n = 0;
  for (const s of snapshots) n += s.edges.length * run.metrics.length;
  const t = new Float64Array(n);
  const value = new Float64Array(n);
  const src = new Array<string>(n);
  const dst = new Array<string>(n);
  const metric = new Array<string>(n);
  let i = 0;
  for (const s of snapshots) {
    for (const e of s.edges) {
      for (const m of run.metrics) {
        t[i] = s.t;
        src[i] = spreadsheetText(e.src);
        dst[i] = spreadsheetText(e.dst);
        metric[i] = m;
        value[i] = e.values[m] ?? 0;
        i++;
      }
    }
  }
  const trafficPath = join(outDir, 'traffic.csv');
  const traffic = { path: trafficPath, rows: await writeTableCsv(aq.table({ t, src, dst, metric, value }), trafficPath) };

  const intervalsPath = join(outDir, 'intervals.csv');
  const intervalsTable = aq.table({
    t: snapshots.map((s) => s.t),
    dt: snapshots.map((s) => s.dt),
    gap: snapshots.map((s) => s.gap),
    attack: timeline.attack,
  });
  const intervals = { path: intervalsPath, rows: await writeTableCsv(intervalsTable, intervalsPath) };

  const scoresFile = join(replayDir, 'scores.csv');
  if (!(await exists(scoresFile))) return { traffic, intervals };
  const rows = await readScoresCsv(scoresFile);
  const scoresPath = join(outDir, 'scores.csv');
  const scoresTable = aq.table({
    t: rows.map((r) => r.t),
    detector: rows.map((r) => r.detector),
    // Empty, not "NaN", for a missing number: both pandas and R read that as missing. So is
    // an infinite one (an overflow, from an older replay): no spreadsheet or plot can use it.
    score: rows.map((r) => (Number.isFinite(r.score) ? r.score : null)),
    threshold: rows.map((r) => (Number.isFinite(r.threshold) ? r.threshold : null)),
    alarm: rows.map((r) => r.alarm),
    attack: rows.map((r) => isAttackInterval(timeline, r.t, run.intervalSeconds)),
  });
  return { traffic, intervals, scores: { path: scoresPath, rows: await writeTableCsv(scoresTable, scoresPath) } };
}
