import { from } from 'rxjs';
import { UserError } from '../errors.ts';
import { log } from '../logger.ts';
import type { Snapshot } from '../types.ts';
import { readIntervalsCsv, type IntervalRow } from './readIntervalsCsv.ts';
import { checkTrafficCsv, readTrafficGroups } from './readTrafficCsv.ts';
import { inferIntervalSeconds, offGridHint, offGridProblems, wholeIntervals, type TrafficGrid } from './trafficGrid.ts';
import { unknownMetricWarnings } from './unknownMetrics.ts';
import { writeImportedRun, type ImportResult } from './writeImportedRun.ts';
import type { ImportDestination } from './ImportDestination.ts';

export interface CsvImportOptions extends ImportDestination {
  /** traffic.csv (long form t,src,dst,metric,value). */
  readonly trafficFile: string;
  /** intervals.csv (t,dt,gap): every interval, gaps included. Without it the intervals are the grid of `intervalSeconds` from the first t, and grid points without rows carried nothing. */
  readonly intervalsFile?: string | undefined;
  /** Interval length (seconds, > 0) without intervals.csv (ignored with it: the command line refuses both); default: the shortest step between two t of traffic.csv that every step is a whole number of (within 1%). Every t must be a whole number of intervals after the t before it. */
  readonly intervalSeconds?: number | undefined;
  /** Metric names known beyond the run format's (those the parameters' detectors watch): others are warned about. */
  readonly knownMetrics?: readonly string[] | undefined;
  /** A remark for the user (what was assumed). */
  readonly note?: ((message: string) => void) | undefined;
}

/**
 * `npm run import -- csv`: the inverse of `npm run export`. Both files are checked in full
 * before anything is written (every bad row reported with its line number); then the run
 * is written interval by interval. With intervals.csv the intervals (gaps included) are
 * exactly its rows; without it, every t must be a whole number of intervals after the t
 * before it (a t in between is a bad row: taking it as an interval would overlap its
 * neighbours or leave a hole), and the intervals between two t are taken as silent (export
 * leaves out an interval that carried nothing), never as gaps.
 */
export async function importCsv(options: CsvImportOptions): Promise<ImportResult> {
  const traffic = await checkTrafficCsv(options.trafficFile);
  const problems = [...traffic.problems];
  let intervals: IntervalRow[] | undefined;
  let grid: TrafficGrid | undefined;
  let hint: string | undefined;
  if (options.intervalsFile !== undefined) {
    const read = await readIntervalsCsv(options.intervalsFile);
    problems.push(...read.problems);
    intervals = read.rows;
    // Checked with the other problems, not after them: against the rows read well (a t whose
    // own row is bad is said there already).
    if (read.header) {
      const rows = new Map(intervals.map((r) => [r.t, r]));
      traffic.times.forEach((t, i) => {
        const row = rows.get(t);
        const at = `${options.trafficFile}:${traffic.timeLines[i]}`;
        if (!row) {
          if (!read.badRowTimes.has(t)) problems.push(`${at}: t = ${t} is not an interval of ${options.intervalsFile}`);
        } else if (row.gap) problems.push(`${at}: t = ${t} has traffic, but ${options.intervalsFile}:${row.line} marks that interval as a gap`);
      });
    }
  } else if (traffic.problems.length === 0 && traffic.times.length > 0) {
    const intervalSeconds = options.intervalSeconds ?? inferIntervalSeconds(traffic.times);
    if (intervalSeconds === undefined) throw new UserError(`${options.trafficFile}: one interval only: give its length with --interval`);
    // Only an inferred one can be: --interval is checked where it enters (parseImportArgs). t
    // increase, but two within half a millisecond make a step of 0 once ms-rounded.
    if (intervalSeconds <= 0) throw new UserError(`${options.trafficFile}: t values closer than 1 ms: no interval can be inferred (give --interval, or intervals.csv with every interval's t and dt)`);
    grid = { intervalSeconds, inferred: options.intervalSeconds === undefined };
    const off = offGridProblems(grid, traffic.times, traffic.timeLines, options.trafficFile);
    problems.push(...off);
    if (off.length > 0) hint = offGridHint(grid);
  }
  if (problems.length > 0) {
    const list = `${problems.slice(0, 30).join('\n  ')}${problems.length > 30 ? `\n  ... and ${problems.length - 30} more` : ''}`;
    throw new UserError(`cannot import: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${list}${hint ? `\n${hint}` : ''}`);
  }
  if (traffic.metrics.length === 0) throw new UserError(`${options.trafficFile}: no traffic rows: nothing to import`);
  const at = traffic.metricLines.map((line) => `${options.trafficFile}:${line}`);
  for (const warning of unknownMetricWarnings(traffic.metrics.map((metric, i) => ({ metric, at: at[i]! })), options.knownMetrics)) log.warn(warning);
  if (grid?.inferred) options.note?.(`interval: ${grid.intervalSeconds} s, the shortest step between two t that every step is a whole number of (--interval sets another)`);
  if (intervals && options.events === undefined && intervals.some((r) => r.attack)) {
    options.note?.(`${options.intervalsFile} marks attack intervals, but the ground truth is events: pass --events <run>/events.ndjson to keep it`);
  }
  // Every check passed: with intervals.csv its rows are the intervals, else the grid is known.
  const snapshots = intervals ? withIntervals(options.trafficFile, intervals) : onGrid(options.trafficFile, grid!, options.note);
  return writeImportedRun(from(snapshots), {
    dir: options.dir,
    name: options.name,
    intervalSeconds: intervals?.[0]?.dt ?? grid!.intervalSeconds,
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

/** The intervals from the first t to the last: those with rows carry them, those between two t are silent. */
async function* onGrid(file: string, grid: TrafficGrid, note: ((m: string) => void) | undefined): AsyncGenerator<Snapshot> {
  const interval = grid.intervalSeconds;
  let prev: number | undefined;
  let silent = 0;
  for await (const group of readTrafficGroups(file)) {
    // Every t was checked (offGridProblems): k ≥ 1 whole intervals after the one before.
    const k = prev === undefined ? 1 : wholeIntervals(group.t - prev, interval)!;
    // Intervals with no row carried nothing (export writes no row for them).
    for (let j = 1; j < k; j++) {
      silent += 1;
      yield { t: Math.round((prev! + j * interval) * 1000) / 1000, dt: interval, gap: false, edges: [] };
    }
    yield { t: group.t, dt: interval, gap: false, edges: group.edges };
    prev = group.t;
  }
  if (silent > 0) note?.(`${silent} intervals without rows were taken as silent (no traffic); give intervals.csv to mark gaps`);
}
