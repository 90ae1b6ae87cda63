import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, lastValueFrom } from 'rxjs';
import { resolveParameters, type DetectorParameters } from '../config/index.ts';
import { setLogSink } from '../logger.ts';
import { detectLive, replayRun, replayRunAsRead, runReplay } from '../replay/index.ts';
import { readManifest } from '../store/index.ts';
import { median } from '../median.ts';

/** What one size's measurement reports: the headline rates, the first pass's, and memory. */
export interface BenchReport {
  /** Steady state (median of the warm rounds): snapshots.ndjson read into snapshots. */
  readonly parseIntervalsPerSecond: number;
  /** Steady state: parsing plus every detector, the verdicts consumed as they come. */
  readonly replayIntervalsPerSecond: number;
  /** Steady state: all of `npm run replay` but the report (+ evaluation and the output files). */
  readonly fullReplayIntervalsPerSecond: number;
  /**
   * The same three in intervals per CPU second of this process (user + system, all its threads:
   * GC helpers, V8's compiler threads and file writes included). On a machine whose cores other
   * work shares, wall time also counts the waits for a core, which vary from pass to pass; CPU
   * time leaves them out.
   */
  readonly parseIntervalsPerCpuSecond: number;
  readonly replayIntervalsPerCpuSecond: number;
  readonly fullReplayIntervalsPerCpuSecond: number;
  /** First pass in a fresh process, the JIT compiling as it goes: parsing alone. */
  readonly coldParseIntervalsPerSecond: number;
  /** First pass of parsing plus every detector (right after the parse pass). */
  readonly coldReplayIntervalsPerSecond: number;
  /** Warm rounds the medians are taken over. */
  readonly warmRounds: number;
  /** Peak RSS of the first round: parsing, then parsing plus every detector. */
  readonly peakRssMegabytes: number;
  /** Peak RSS after the first parse pass (the reader's own share). */
  readonly parsePeakRssMegabytes: number;
  /** RSS a quarter of the way through the first full replay, and at its end (growth check). */
  readonly rssQuarterMegabytes: number;
  readonly rssEndMegabytes: number;
  /** Steady state of parsing plus one detector alone, per detector asked for (intervals per second). */
  readonly detectorIntervalsPerSecond: Readonly<Record<string, number>>;
}

/**
 * Rounds are parse → detectors → full replay (detectors and full taking turns to come first),
 * then the passes of single detectors. The first (cold) round pays for V8 compiling
 * the code as it runs: at 14 services that is half of a 0.2 s replay and says nothing about
 * the per-interval cost the target is about, so the headline rates are medians of warm rounds
 * and the cold ones are kept beside them. Warm rounds: at least MIN_WARM_ROUNDS (fewer only
 * when one takes over LONG_ROUND_SECONDS: at that size compiling is noise), then more while
 * they fit WARM_BUDGET_SECONDS, at most MAX_WARM_ROUNDS.
 */
const MIN_WARM_ROUNDS = 3;
const LONG_ROUND_SECONDS = 10;
const WARM_BUDGET_SECONDS = 4;
const MAX_WARM_ROUNDS = 9;

/** Measure one run in this process; the bench runs it in a child per size so memory peaks do not mix. */
export async function measureReplay(dir: string, alone: readonly string[] = []): Promise<BenchReport> {
  const restore = silenceWarnings();
  try {
    // Default parameters, resolved once: rounds time the replay, not the configuration.
    const detectors = resolveParameters({}).detectors;
    const coldParse = await timeParse(dir);
    const parsePeak = process.resourceUsage().maxRSS / 1024;
    const intervals = coldParse.intervals;
    const coldReplay = await timeDetectors(dir, detectors);
    // Later rounds only let the heap grow as the GC sees fit: a replay's memory is the first one's.
    const peak = process.resourceUsage().maxRSS / 1024;
    const parse: number[] = [];
    const replay: number[] = [];
    const full: number[] = [];
    const cpu = { parse: [] as number[], replay: [] as number[], full: [] as number[] };
    const single: Record<string, number[]> = Object.fromEntries(alone.map((name) => [name, []]));
    let memory = { quarter: 0, end: 0 };
    let warmSeconds = 0;
    const timeReplay = async (): Promise<number> => {
      const c = process.cpuUsage();
      const seconds = await timeDetectors(dir, detectors);
      cpu.replay.push(cpuSecondsSince(c));
      return seconds;
    };
    const timeFull = async (): Promise<Awaited<ReturnType<typeof timeFullReplay>>> => {
      const c = process.cpuUsage();
      const result = await timeFullReplay(dir, detectors, intervals);
      cpu.full.push(cpuSecondsSince(c));
      return result;
    };
    while (parse.length < MAX_WARM_ROUNDS) {
      const c0 = process.cpuUsage();
      const p = (await timeParse(dir)).seconds;
      cpu.parse.push(cpuSecondsSince(c0));
      // V8 is still optimising in the first warm rounds (at 14 services × 500 intervals the
      // first two replay passes took twice the later ones), and the pass that comes first in a
      // round pays more of it: replay came first in every round, and full, which does more,
      // came out faster in its medians. They take turns.
      let d: number;
      let f: Awaited<ReturnType<typeof timeFullReplay>>;
      if (parse.length % 2 === 0) {
        d = await timeReplay();
        f = await timeFull();
      } else {
        f = await timeFull();
        d = await timeReplay();
      }
      if (full.length === 0) memory = f.memory;
      parse.push(p);
      replay.push(d);
      full.push(f.seconds);
      const round = p + d + f.seconds;
      warmSeconds += round;
      const enough = parse.length >= MIN_WARM_ROUNDS ? warmSeconds + round > WARM_BUDGET_SECONDS : round > LONG_ROUND_SECONDS;
      if (enough) break;
    }
    // Each detector asked for, alone with parsing (every detector's defaults as in the full set),
    // as many rounds, after the others: between rounds, a one-detector pass made the all-detector
    // pass after it slower (likely V8 optimising the detector loop for one detector, then again
    // for all), and with it between rounds full came out as fast as replay, per CPU second too.
    for (const name of alone) for (let r = 0; r < parse.length; r++) single[name]!.push(await timeDetectors(dir, { ...detectors, enabled: [name] as typeof detectors.enabled }));
    return {
      parseIntervalsPerSecond: intervals / median(parse),
      replayIntervalsPerSecond: intervals / median(replay),
      fullReplayIntervalsPerSecond: intervals / median(full),
      parseIntervalsPerCpuSecond: intervals / median(cpu.parse),
      replayIntervalsPerCpuSecond: intervals / median(cpu.replay),
      fullReplayIntervalsPerCpuSecond: intervals / median(cpu.full),
      coldParseIntervalsPerSecond: intervals / coldParse.seconds,
      coldReplayIntervalsPerSecond: intervals / coldReplay,
      warmRounds: parse.length,
      peakRssMegabytes: peak,
      parsePeakRssMegabytes: parsePeak,
      rssQuarterMegabytes: memory.quarter,
      rssEndMegabytes: memory.end,
      detectorIntervalsPerSecond: Object.fromEntries(alone.map((name) => [name, intervals / median(single[name]!)])),
    };
  } finally {
    restore();
  }
}

async function timeParse(dir: string): Promise<{ seconds: number; intervals: number }> {
  const t0 = performance.now();
  const intervals = await lastValueFrom(replayRun(dir).pipe(count()));
  return { seconds: (performance.now() - t0) / 1000, intervals };
}

/** Parsing plus every detector, as `npm run replay` composes them. */
async function timeDetectors(dir: string, detectors: DetectorParameters): Promise<number> {
  const t0 = performance.now();
  const manifest = await readManifest(dir);
  await lastValueFrom(replayRunAsRead(dir, manifest.metrics).pipe(detectLive(detectors, { metrics: manifest.metrics }), count()));
  return (performance.now() - t0) / 1000;
}

async function timeFullReplay(dir: string, detectors: DetectorParameters, intervals: number): Promise<{ seconds: number; memory: { quarter: number; end: number } }> {
  let quarter = 0;
  const t0 = performance.now();
  const out = mkdtempSync(join(tmpdir(), 'munnin-bench-out-'));
  try {
    await runReplay(dir, {
      outDir: out,
      detectors,
      onProgress: (p) => {
        if (p.intervals === Math.floor(intervals / 4)) quarter = process.memoryUsage().rss / 2 ** 20;
      },
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return { seconds: (performance.now() - t0) / 1000, memory: { quarter, end: process.memoryUsage().rss / 2 ** 20 } };
}

/** CPU seconds (user + system) of this process since `start`. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
}

/** Detectors may note or warn (e.g. blind to a metric); in a benchmark only errors matter on stderr. */
function silenceWarnings(): () => void {
  return setLogSink((level, message) => {
    if (level === 'error') process.stderr.write(`error: ${message}\n`);
  });
}
