import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import type { ReplaySummary } from '../report/index.ts';
import { describeInjection, INJECTION_FILE, injectedSnapshots, readReplayInjection, type ReplayInjection } from '../replay/replayInjection.ts';
import { staleMetricGaps } from '../replay/staleMetricReads.ts';
import { encodeSnapshot, readManifest } from '../store/index.ts';
import type { MetricKey, RunEvent, RunManifest, Snapshot } from '../types.ts';
import { decodeIntervalLine, type IntervalLine, type InvalidLine } from './decodeIntervalLine.ts';
import { HttpError } from './httpResponses.ts';
import { reportCharts, type ReportCharts } from './reportCharts.ts';
import { chooseVariant, replayDir, replayVariants } from './replayVariants.ts';
import { readReplayAlerts, readRunEvents, type ServedAlert } from './runFiles.ts';
import { failedListing, readListedFiles, runListing, runStatus, type OpenRun, type RunListing, type RunStatus } from './runListing.ts';
import { runDirectory, runNameProblem } from './runName.ts';
import { RunStats, type RunEdge } from './RunStats.ts';
import { SnapshotIndex } from './SnapshotIndex.ts';
import { checkContained } from './containedFiles.ts';

/** A run in full (GET /api/runs/:name). */
export interface RunSummary extends RunListing {
  /** The run directory as the dashboard was told it (data folder + name). */
  readonly path: string;
  readonly manifest: RunManifest;
  readonly gaps: number;
  readonly invalidLines: number;
  /** Start of the run (first interval's t − dt), Unix seconds. */
  readonly t0?: number;
  readonly firstT?: number;
  readonly lastT?: number;
  /** The ground truth the shown replay scored: its own events.ndjson when it wrote one (`--events`, `--inject`), else the run's. */
  readonly events: readonly RunEvent[];
  readonly badEventLines: number;
  /** Where `events` come from: the replay's events.ndjson, or the run's. */
  readonly eventsSource: 'replay' | 'run';
  /** The busiest edges, at most MAX_EDGES_PER_REQUEST (the rest: GET /api/runs/{name}/edges?from=). */
  readonly edges: readonly RunEdge[];
  /** Edges in the run; more than `edges` holds when it was cut. */
  readonly edgeCount: number;
  readonly replay: ReplaySummary | null;
  /** Which of `variants` `replay` is ('' for replay/ itself); absent when not replayed. */
  readonly variant?: string;
  /** What the shown replay injected (its injection.json, in words: describeInjection): its report charts and intervals include those bytes. */
  readonly injected?: string;
}

export interface RunCatalogOptions {
  /** Name of the run the live experiment is writing, if any (shown as recording). */
  readonly liveRunName?: () => string | undefined;
  /** Milliseconds since the epoch (tests). */
  readonly now?: () => number;
}

/** Runs kept indexed; past this the least recently used are forgotten (and re-indexed on demand). */
const MAX_CACHED_RUNS = 64;
export const MAX_INTERVALS_PER_REQUEST = 1000;
/** Intervals read before a page to see its first slices as replay sees them (asReplayed). */
const STALE_LOOKBACK_INTERVALS = 8;
/** Most edges in one answer: a run of 400,000 edges is not sent as one 34 MB document. */
export const MAX_EDGES_PER_REQUEST = 1000;

function sortedEdges(run: OpenRun): RunEdge[] {
  return [...run.stats.edges.values()].sort((a, b) => b.total - a.total || (a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0));
}

/**
 * The runs under the data folder, read through the run-format readers. Everything is read
 * on request (runs grow while being written); only snapshot line offsets and running totals
 * are cached, and they catch up with appended lines on each request.
 */
export class RunCatalog {
  private readonly root: string;
  private readonly cache = new Map<string, { index: SnapshotIndex; stats: RunStats; metrics: string }>();
  private readonly reports = new Map<string, { stamp: string; charts: Promise<ReportCharts> }>();

  constructor(
    readonly dataDir: string,
    private readonly options: RunCatalogOptions = {},
  ) {
    this.root = resolve(dataDir);
  }

  /** Every run directory (one holding run.json) directly under the data folder, newest first. */
  async list(): Promise<{ exists: boolean; runs: RunListing[] }> {
    let entries: string[];
    try {
      entries = (await readdir(this.root, { withFileTypes: true })).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return { exists: false, runs: [] };
      throw e;
    }
    const names = entries.filter((n) => runNameProblem(n) === undefined);
    const listed = await Promise.all(names.map((n) => this.listing(n).catch((e: unknown) => (e instanceof HttpError && e.status === 404 ? undefined : failedListing(n, e)))));
    const runs = listed.filter((r): r is RunListing => r !== undefined);
    runs.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.name.localeCompare(b.name));
    return { exists: true, runs };
  }

  /** A run in full, with the replay of `variant` (default: the plain replay, else the first variant). */
  async summary(name: string, variant?: string): Promise<RunSummary> {
    const run = await this.open(name);
    const status = this.status(name, run);
    const files = await readListedFiles(run.dir, variant, name);
    const { replay } = files;
    const { events, badLines } = files.events;
    const injection = files.variant === undefined ? undefined : await this.injection(run.dir, files.variant);
    return {
      ...runListing(name, run, status, files),
      path: join(this.dataDir, name),
      manifest: run.manifest,
      gaps: run.stats.gaps,
      invalidLines: run.stats.invalid,
      ...(run.stats.t0 !== undefined ? { t0: run.stats.t0, firstT: run.stats.firstT, lastT: run.stats.lastT } : {}),
      events,
      badEventLines: badLines,
      eventsSource: files.eventsSource,
      edges: sortedEdges(run).slice(0, MAX_EDGES_PER_REQUEST),
      edgeCount: run.stats.edges.size,
      replay: replay && 'summary' in replay ? replay.summary : null,
      ...(files.variant !== undefined ? { variant: files.variant } : {}),
      ...(injection !== undefined ? { injected: describeInjection(injection) } : {}),
    };
  }

  /**
   * Intervals [from, from + count) as run-format lines, with the total known so far: as the
   * replay of `variant` (default: the one shown) saw them, its injected bytes added.
   */
  async intervals(name: string, from: number, count: number, variant?: string): Promise<{ from: number; total: number; intervals: (IntervalLine | InvalidLine)[] }> {
    const run = await this.open(name);
    // A few intervals before the page too: what replay makes of a stale read of one metric (a gap,
    // its traffic in the next slice: staleMetricReads) depends on the slices before it.
    const back = Math.min(from, STALE_LOOKBACK_INTERVALS);
    const lines = await run.index.read(from - back, Math.min(count, MAX_INTERVALS_PER_REQUEST) + back);
    const read = lines.map((text, k) => {
      const problem = run.stats.outOfOrder.get(from - back + k);
      return problem === undefined ? decodeIntervalLine(text, run.manifest.metrics, from - back + k) : { line: { i: from - back + k, invalid: problem } };
    });
    const decoded = asReplayed(read, run.manifest.metrics).slice(back);
    const chosen = chooseVariant(await replayVariants(run.dir), variant, name);
    const injection = chosen === undefined ? undefined : await this.injection(run.dir, chosen);
    const t0 = run.stats.t0;
    if (injection === undefined || t0 === undefined) return { from, total: run.index.count, intervals: decoded.map((d) => d.line) };
    // The page alone, from the run's start: an interval's injected bytes depend only on where it lies.
    const file = join(replayDir(run.dir, chosen!), INJECTION_FILE);
    const valid = decoded.flatMap((d) => ('snapshot' in d && d.snapshot !== undefined ? [d.snapshot] : []));
    const injected = await injectedSnapshots(valid, injection, run.manifest, file, t0).catch((e: unknown) => {
      throw e instanceof UserError ? new HttpError(422, this.relative(e.message)) : e;
    });
    let next = 0;
    const intervals = decoded.map((d) => ('snapshot' in d && d.snapshot !== undefined ? { ...encodeSnapshot(injected[next++]!), i: d.line.i } : d.line));
    return { from, total: run.index.count, intervals };
  }

  /** A replay's injection.json; a broken one is a 422 naming it. */
  private async injection(runDir: string, variant: string): Promise<ReplayInjection | undefined> {
    try {
      return await readReplayInjection(replayDir(runDir, variant));
    } catch (e) {
      if (e instanceof UserError) throw new HttpError(422, this.relative(e.message));
      throw e;
    }
  }

  /** Edges [from, from + count), busiest first, with the total. */
  async edges(name: string, from: number, count: number): Promise<{ from: number; total: number; edges: RunEdge[] }> {
    const run = await this.open(name);
    return { from, total: run.stats.edges.size, edges: sortedEdges(run).slice(from, from + Math.min(count, MAX_EDGES_PER_REQUEST)) };
  }

  async events(name: string): Promise<RunEvent[]> {
    return (await readRunEvents((await this.open(name)).dir)).events;
  }

  async alerts(name: string, variant?: string): Promise<ServedAlert[]> {
    const { dir } = await this.open(name);
    const chosen = chooseVariant(await replayVariants(dir), variant, name);
    return chosen === undefined ? [] : readReplayAlerts(dir, chosen);
  }

  /** The report's charts; 404 when the run has not been replayed. Rebuilt when the replay or the run changes. */
  async report(name: string, variant?: string): Promise<ReportCharts> {
    const run = await this.open(name);
    const chosen = chooseVariant(await replayVariants(run.dir), variant, name);
    const dir = chosen === undefined ? undefined : replayDir(run.dir, chosen);
    const summary = dir === undefined ? undefined : await stat(join(dir, 'summary.json')).catch(() => undefined);
    if (!summary || dir === undefined) throw new HttpError(404, `run ${JSON.stringify(name)} has not been replayed yet (npm run replay -- ${join(this.dataDir, name)})`);
    const stamp = `${summary.mtimeMs}:${run.index.count}`;
    let cached = this.reports.get(dir);
    if (cached?.stamp !== stamp) {
      cached = { stamp, charts: reportCharts(run.dir, dir) };
      this.reports.set(dir, cached);
      // A failure is not remembered: the next request tries again.
      cached.charts.catch(() => this.reports.delete(dir));
      if (this.reports.size > MAX_CACHED_RUNS) this.reports.delete(this.reports.keys().next().value!);
    }
    try {
      return await cached.charts;
    } catch (e) {
      if (e instanceof UserError) throw new HttpError(422, this.relative(e.message));
      throw e;
    }
  }

  private async listing(name: string): Promise<RunListing> {
    const run = await this.open(name);
    const status = this.status(name, run);
    return runListing(name, run, status, await readListedFiles(run.dir));
  }

  private status(name: string, run: OpenRun): RunStatus {
    return runStatus(name, run.manifest, run.index, this.options.liveRunName?.(), this.options.now?.() ?? Date.now());
  }

  /** Read a run's manifest and bring its index and totals up to date. 404 when there is no such run. */
  private async open(name: string): Promise<OpenRun> {
    const dir = runDirectory(this.root, name);
    const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
    if (!isDir) throw new HttpError(404, `no run named ${JSON.stringify(name)} in ${this.dataDir}`);
    const present = await stat(join(dir, 'run.json')).then(() => true, () => false);
    if (!present) throw new HttpError(404, `${JSON.stringify(name)} in ${this.dataDir} is not a run (no run.json)`);
    await checkContained(this.root, dir);
    let manifest: RunManifest;
    try {
      manifest = await readManifest(dir);
    } catch (e) {
      if (e instanceof UserError) throw new HttpError(422, this.relative(e.message));
      throw e;
    }
    const metrics = manifest.metrics.join('\u0000');
    let cached = this.cache.get(dir);
    if (!cached || cached.metrics !== metrics) {
      const index = new SnapshotIndex(join(dir, 'snapshots.ndjson'));
      cached = { index, stats: new RunStats(index, manifest.metrics), metrics };
    }
    // Most recently used last, so the first key is the one to forget.
    this.cache.delete(dir);
    this.cache.set(dir, cached);
    if (this.cache.size > MAX_CACHED_RUNS) this.cache.delete(this.cache.keys().next().value!);
    await cached.index.refresh();
    await cached.stats.update();
    return { dir, manifest, index: cached.index, stats: cached.stats };
  }

  /** Messages name files by absolute path; the client only needs them relative to the data folder. */
  private relative(message: string): string {
    return message.split(`${this.root}/`).join('');
  }
}

/**
 * Decoded interval lines as replay reads them: a stale read of one metric a gap, its traffic in
 * the next readable slice (staleMetricReads), so the dashboard shows the traffic the detectors
 * saw. Invalid lines stay as they are.
 */
function asReplayed(decoded: readonly { readonly line: IntervalLine | InvalidLine; readonly snapshot?: Snapshot }[], metrics: readonly MetricKey[]): { readonly line: IntervalLine | InvalidLine; readonly snapshot?: Snapshot }[] {
  const read = staleMetricGaps(
    decoded.flatMap((d) => (d.snapshot === undefined ? [] : [d.snapshot])),
    metrics,
  );
  let next = 0;
  return decoded.map((d) => {
    if (d.snapshot === undefined) return d;
    const snapshot = read[next++]!;
    return snapshot === d.snapshot ? d : { line: { ...encodeSnapshot(snapshot), i: d.line.i }, snapshot };
  });
}
