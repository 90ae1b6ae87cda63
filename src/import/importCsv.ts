import { from } from 'rxjs';
import { UserError } from '../errors.ts';
import type { Snapshot } from '../types.ts';
import { readIntervalsCsv, type IntervalRow } from './readIntervalsCsv.ts';
import { checkTrafficCsv, readTrafficGroups } from './readTrafficCsv.ts';
import { writeImportedRun, type ImportResult } from './writeImportedRun.ts';
import type { ImportDestination } from './ImportDestination.ts';

export interface CsvImportOptions extends ImportDestination {
  /** traffic.csv (long form t,src,dst,metric,value). */
  readonly trafficFile: string;
  /** intervals.csv (t,dt,gap): every interval, gaps included. Without it every t of traffic.csv is an interval and missing ones on the grid carried nothing. */
  readonly intervalsFile?: string | undefined;
  /** Interval length without intervals.csv; default: the smallest step between two t of traffic.csv. */
  readonly intervalSeconds?: number | undefined;
  /** A remark for the user (what was assumed). */
  readonly note?: ((message: string) => void) | undefined;
}

/**
 * `npm run import -- csv`: the inverse of `npm run export`. Both files are checked in full
 * before anything is written (every bad row reported with its line number); then the run
 * is written interval by interval. With intervals.csv the intervals (gaps included) are
 * exactly its rows; without it, intervals missing between two t of traffic.csv are taken as
 * silent (export leaves out an interval that carried nothing), never as gaps.
 */
export async function importCsv(options: CsvImportOptions): Promise<ImportResult> {
  const traffic = await checkTrafficCsv(options.trafficFile);
  const problems = [...traffic.problems];
  let intervals: IntervalRow[] | undefined;
  if (options.intervalsFile !== undefined) {
    const read = await readIntervalsCsv(options.intervalsFile);
    problems.push(...read.problems);
    intervals = read.rows;
    if (read.problems.length === 0) {
      const rows = new Map(intervals.map((r) => [r.t, r]));
      for (const t of traffic.times) {
        const row = rows.get(t);
        if (!row) problems.push(`${options.trafficFile}: t = ${t} is not an interval of ${options.intervalsFile}`);
        else if (row.gap) problems.push(`${options.trafficFile}: t = ${t} has traffic, but ${options.intervalsFile} marks that interval as a gap`);
      }
    }
  }
  if (problems.length > 0) {
    throw new UserError(`cannot import: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.slice(0, 30).join('\n  ')}${problems.length > 30 ? `\n  ... and ${problems.length - 30} more` : ''}`);
  }
  if (traffic.metrics.length === 0) throw new UserError(`${options.trafficFile}: no traffic rows: nothing to import`);
  const intervalSeconds = options.intervalSeconds ?? intervals?.[0]?.dt ?? smallestStep(traffic.times, options.trafficFile);
  if (!(intervalSeconds > 0) || !Number.isFinite(intervalSeconds)) throw new UserError(`--interval: expected a positive number of seconds (got ${intervalSeconds})`);
  if (intervals && options.events === undefined && intervals.some((r) => r.attack)) {
    options.note?.(`${options.intervalsFile} marks attack intervals, but the ground truth is events: pass --events <run>/events.ndjson to keep it`);
  }
  const snapshots = intervals ? withIntervals(options.trafficFile, intervals) : onGrid(options.trafficFile, intervalSeconds, options.note);
  return writeImportedRun(from(snapshots), {
    dir: options.dir,
    name: options.name,
    intervalSeconds,
    metrics: traffic.metrics,
    source: { kind: 'csv-import', traffic: options.trafficFile, ...(options.intervalsFile ? { intervals: options.intervalsFile } : {}) },
    events: options.events,
    signal: options.signal,
  });
}

async function* withIntervals(file: string, intervals: readonly IntervalRow[]): AsyncGenerator<Snapshot> {
  const groups = readTrafficGroups(file);
  let next = await groups.next();
  for (const row of intervals) {
    if (row.gap) {
      yield { t: row.t, dt: row.dt, gap: true, reason: 'gap in intervals.csv', edges: [] };
      continue;
    }
    if (!next.done && next.value.t === row.t) {
      yield { t: row.t, dt: row.dt, gap: false, edges: next.value.edges };
      next = await groups.next();
    } else yield { t: row.t, dt: row.dt, gap: false, edges: [] };
  }
}

async function* onGrid(file: string, intervalSeconds: number, note: ((m: string) => void) | undefined): AsyncGenerator<Snapshot> {
  let last: number | undefined;
  let silent = 0;
  for await (const group of readTrafficGroups(file)) {
    if (last !== undefined) {
      const steps = Math.round((group.t - last) / intervalSeconds);
      // Intervals on the grid with no row carried nothing (export writes no row for them).
      for (let k = 1; k < steps; k++) {
        silent += 1;
        yield { t: Math.round((last + k * intervalSeconds) * 1000) / 1000, dt: intervalSeconds, gap: false, edges: [] };
      }
    }
    yield { t: group.t, dt: intervalSeconds, gap: false, edges: group.edges };
    last = group.t;
  }
  if (silent > 0) note?.(`${silent} intervals without rows were taken as silent (no traffic); give intervals.csv to mark gaps`);
}

function smallestStep(times: readonly number[], file: string): number {
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i++) step = Math.min(step, times[i]! - times[i - 1]!);
  if (!Number.isFinite(step)) throw new UserError(`${file}: one interval only: give its length with --interval`);
  return Math.round(step * 1000) / 1000;
}
