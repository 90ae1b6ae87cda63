import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, lastValueFrom } from 'rxjs';
import { resolveParameters } from '../config/index.ts';
import { setLogSink } from '../logger.ts';
import { replayRun, runReplay } from '../replay/index.ts';

/** What one measurement reports: the headline numbers and memory detail for the human table. */
export interface BenchReport {
  readonly parseIntervalsPerSecond: number;
  readonly replayIntervalsPerSecond: number;
  readonly peakRssMegabytes: number;
  readonly parsePeakRssMegabytes: number;
  readonly rssQuarterMegabytes: number;
  readonly rssEndMegabytes: number;
}

/**
 * Parse-only, then full replay (every detector, evaluation, output files) of one run, in this
 * process; the bench runs it in a child per size so memory peaks do not mix. Both passes read
 * the file afresh; the replay pass finds the reader already compiled by the parse pass, and
 * pays for compiling the detectors (V8's JIT) itself, as a replay in its own process does.
 */
export async function measureReplay(dir: string): Promise<BenchReport> {
  const restore = silenceWarnings();
  try {
    let t0 = performance.now();
    const parsed = await lastValueFrom(replayRun(dir).pipe(count()));
    const parseSeconds = (performance.now() - t0) / 1000;
    const parsePeak = process.resourceUsage().maxRSS / 1024;
    const detectors = resolveParameters({}).detectors;
    let rssQuarter = 0;
    t0 = performance.now();
    const out = mkdtempSync(join(tmpdir(), 'munnin-bench-out-'));
    try {
      await runReplay(dir, {
        outDir: out,
        detectors,
        onProgress: (p) => {
          if (p.intervals === Math.floor(parsed / 4)) rssQuarter = process.memoryUsage().rss / 2 ** 20;
        },
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const replaySeconds = (performance.now() - t0) / 1000;
    return {
      parseIntervalsPerSecond: parsed / parseSeconds,
      replayIntervalsPerSecond: parsed / replaySeconds,
      peakRssMegabytes: process.resourceUsage().maxRSS / 1024,
      parsePeakRssMegabytes: parsePeak,
      rssQuarterMegabytes: rssQuarter,
      rssEndMegabytes: process.memoryUsage().rss / 2 ** 20,
    };
  } finally {
    restore();
  }
}

/** Detectors may note or warn (e.g. blind to a metric); in a benchmark only errors matter on stderr. */
function silenceWarnings(): () => void {
  return setLogSink((level, message) => {
    if (level === 'error') process.stderr.write(`error: ${message}\n`);
  });
}
