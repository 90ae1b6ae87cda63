import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.ts';
import { log } from '../logger.ts';
import { writeSyntheticRun } from '../replay/index.ts';
import { measureReplay, type BenchReport } from './benchMeasure.ts';
import { benchTable, type BenchRow } from './benchTable.ts';
import { listFlag } from './replayFlags.ts';
import { numberFlag, parseFlags } from './parseFlags.ts';
import { runCli } from './runCli.ts';

const HELP = `npm run bench [-- flags]

Replay throughput and memory on synthetic runs (realistic noisy traffic on a shallow call
graph with shared services, a few injected exfiltrations) of 14, 200 and 1,000 services with
about 5 edges each, 2,000 intervals each, each measured in its own child process so memory
peaks do not mix. Per size, in intervals per second:
  parse    reading snapshots.ndjson into snapshots
  replay   parsing plus every detector (default parameters)
  full     all of \`npm run replay\` but the report: + evaluation and the output files
The headline rates are medians over warm rounds (parse, replay, full; at least 3, or 1 when a
round takes over 10 s, more while they fit in ~4 s); the first, cold round, in which V8
compiles the code as it runs, is shown beside them. Target: replay at least half the parse
rate. Memory: the first round's peak RSS, and RSS a quarter of the way through a full replay
against its end.

Flags:
  --json               print exactly one JSON object:
                       {"sizes": [{"services","edges","intervals","parseIntervalsPerSecond",
                                   "replayIntervalsPerSecond","peakRssMegabytes"}]}
  --sizes <a,b,...>    service counts (default 14,200,1000)
  --intervals <n>      intervals per run (default 2000)
  --help               this text
`;

const FLAGS = {
  json: { type: 'boolean' },
  sizes: { type: 'string' },
  intervals: { type: 'string' },
  measure: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(): Promise<number> {
  const { values } = parseFlags(process.argv.slice(2), FLAGS);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.measure !== undefined) {
    process.stdout.write(`${JSON.stringify(await measureReplay(values.measure))}\n`);
    return 0;
  }
  const sizes = (listFlag('sizes', values.sizes) ?? ['14', '200', '1000']).map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 2) throw new UserError(`--sizes: expected whole numbers of services ≥ 2 (got ${JSON.stringify(s)})`);
    return n;
  });
  const intervals = numberFlag('intervals', values.intervals) ?? 2000;
  if (!Number.isInteger(intervals) || intervals < 20) throw new UserError(`--intervals: expected a whole number ≥ 20 (got ${intervals})`);

  const root = mkdtempSync(join(tmpdir(), 'munnin-bench-'));
  const results: BenchRow[] = [];
  try {
    for (const services of sizes) {
      const dir = join(root, `services-${services}`);
      let last = Date.now();
      const run = writeSyntheticRun(dir, {
        services,
        intervals,
        progress: (written) => {
          if (Date.now() - last < 2000) return;
          last = Date.now();
          log.info(`bench: ${services} services: generating ${written}/${intervals} intervals`);
        },
      });
      log.info(`bench: ${services} services, ${run.edges} edges, ${intervals} intervals: measuring in a child process`);
      const report = await measureInChild(dir);
      results.push({ services, edges: run.edges, intervals, ...report });
      rmSync(dir, { recursive: true, force: true });
      log.info(
        `bench: ${services} services: parse ${report.parseIntervalsPerSecond.toFixed(0)}/s, replay ${report.replayIntervalsPerSecond.toFixed(0)}/s, ` +
          `full ${report.fullReplayIntervalsPerSecond.toFixed(0)}/s (median of ${report.warmRounds} warm round(s); cold: parse ${report.coldParseIntervalsPerSecond.toFixed(0)}/s, ` +
          `replay ${report.coldReplayIntervalsPerSecond.toFixed(0)}/s), peak RSS ${report.peakRssMegabytes.toFixed(0)} MB`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  if (values.json) {
    const sizesOut = results.map(({ services, edges, intervals: n, parseIntervalsPerSecond, replayIntervalsPerSecond, peakRssMegabytes }) => ({
      services,
      edges,
      intervals: n,
      parseIntervalsPerSecond: round(parseIntervalsPerSecond),
      replayIntervalsPerSecond: round(replayIntervalsPerSecond),
      peakRssMegabytes: round(peakRssMegabytes),
    }));
    process.stdout.write(`${JSON.stringify({ sizes: sizesOut })}\n`);
  } else process.stdout.write(benchTable(results));
  return 0;
}

function measureInChild(dir: string): Promise<BenchReport> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolvePromise, reject) => {
    // The same Node flags as this process: compiled, none; from src/, `--import tsx`.
    const child = spawn(process.execPath, [...process.execArgv, script, '--measure', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const stop = () => child.kill('SIGTERM');
    process.once('SIGINT', stop);
    child.on('error', reject);
    child.on('close', (code) => {
      process.off('SIGINT', stop);
      if (code !== 0) return reject(new Error(`bench child for ${dir} exited with ${code}`));
      try {
        resolvePromise(JSON.parse(stdout.trim().split('\n').pop() ?? '') as BenchReport);
      } catch (e) {
        reject(new Error(`bench child for ${dir} printed no result: ${(e as Error).message}`));
      }
    });
  });
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

runCli(main);
