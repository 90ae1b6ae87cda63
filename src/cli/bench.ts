import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.ts';
import { log } from '../logger.ts';
import { DETECTOR_NAMES } from '../detectors/index.ts';
import { autoThreads, writeConnectionLogRun, writeSyntheticRun, type ThreadsSetting } from '../replay/index.ts';
import { measureReplay, type BenchReport } from './benchMeasure.ts';
import { commandArgs, measureStartup, runProcess } from './benchProcess.ts';
import { median } from '../median.ts';
import { benchTable, processTable, startupTable, type BenchRow, type ProcessRow, type WholeProcess } from './benchTable.ts';
import { FlagProblems } from './flagProblems.ts';
import { listFlag, numberFlag, parseFlags } from './parseFlags.ts';
import { runCli } from './runCli.ts';
import { detectorsFlag } from './detectorNames.ts';
import { threadsFlag } from './replayFlags.ts';

const HELP = `npm run bench [-- flags]

Replay throughput and memory on synthetic runs (realistic noisy traffic on a shallow call
graph with shared services, a few injected exfiltrations) of 14, 200 and 1,000 services with
about 5 edges each, 2,000 intervals each, each measured in its own child process so memory
peaks do not mix. Per size, in intervals per second:
  parse    reading snapshots.ndjson into snapshots
  replay   parsing plus every detector (default parameters)
  full     all of \`npm run replay\` but the report: + evaluation and the output files
  replay/CPU s, full/CPU s
           the same two per CPU second of the process (user + system): wall time also counts
           the waits for a core, which vary from pass to pass on a busy machine
The headline rates are medians over warm rounds (parse, replay, full, replay and full taking
turns to come first; at least 3, or 1 when a round takes over 10 s, more while they fit in
~4 s; single detectors after them); the first, cold round, in which V8
compiles the code as it runs, is shown beside them. Target: replay at least half the parse
rate. Memory: the first round's peak RSS, and RSS a quarter of the way through a full replay
against its end.


Whole processes, as a user runs them: per size, \`npm run replay -- <run> --no-report --quiet\`'s
script in a fresh process per round (default parameters), wall time from spawn to exit, its
CPU time (user + system: what wall time cannot say on a shared machine) and peak RSS (medians
and the maximum over the rounds), and the RSS a quarter of the way through (by time) against
the end, sampled in the child every 250 ms (the first round's); the same for a run shaped like a converted
connection log (20,000 host names, ~100 edges per interval, connection counts only, one-minute
intervals, trained on the first day or half the run; the full shape is 60,000 intervals); and the start-up cost: \`--help\` of
replay and experiment against doing nothing, through npm and directly with node (target:
\`npm run replay -- --help\` at most 0.15 s more than an \`npm run\` of a script that does
nothing).

Flags:
  --json                    print exactly one JSON object:
                            {"sizes": [{"services","edges","intervals","parseIntervalsPerSecond",
                              "replayIntervalsPerSecond","fullReplayIntervalsPerSecond",
                              "coldParseIntervalsPerSecond","coldReplayIntervalsPerSecond",
                              "parseIntervalsPerCpuSecond","replayIntervalsPerCpuSecond",
                              "fullReplayIntervalsPerCpuSecond","peakRssMegabytes",
                              "detectors": {"midas": {"intervalsPerSecond",
                                "microsecondsPerInterval"}},"process": {...}}],
                             "connectionLog": {...}, "startup": {...}}
  --sizes <a,b,...>         service counts (default 14,200,1000)
  --intervals <n>           intervals per run (default 2000)
  --process-rounds <n>      fresh-process replays per size (default 3; 1 when one takes over
                            10 s; 0 skips them)
  --connection-log <n>      intervals of the connection-log-shaped run (default 6000; 60000
                            is the full shape, ~5 min of CPU with all detectors, memory flat:
                            edges silent for a day are forgotten; 0 skips it)
  --startup-rounds <n>      rounds of each start-up timing (default 5; 0 skips them)
  --per-detector <a,b,...>  per size, also replay with each of these detectors alone (parse
                            + that detector, warm median) and show its cost per interval
                            beyond parsing (default midas; none to skip)
  --connection-log-detectors <a,b,...>
                            detectors of the connection-log run (default: all); e.g. the
                            graph detectors alone for the full 60,000 intervals
  --threads <n>             threads of the whole-process replays: 1, 2 or auto (default), as
                            replay's --threads; 2 runs eigenspace in a worker thread, and the
                            table says which runs had two
  --process-detectors <a,b,...>
                            detectors of the whole-process replays of the sizes (default:
                            all); e.g. control-chart,ewma,pair-ratio,three-tier, Munnin's
                            four, to compare like for like with a replay of those four alone
  --help                    this text
`;

const FLAGS = {
  json: { type: 'boolean' },
  sizes: { type: 'string' },
  intervals: { type: 'string' },
  'process-rounds': { type: 'string' },
  'connection-log': { type: 'string' },
  'startup-rounds': { type: 'string' },
  'per-detector': { type: 'string' },
  'connection-log-detectors': { type: 'string' },
  'process-detectors': { type: 'string' },
  threads: { type: 'string' },
  measure: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(): Promise<number> {
  // Unknown flags are listed with the known flags' bad values, in one error.
  const problems = new FlagProblems();
  const { values } = parseFlags(process.argv.slice(2), FLAGS, false, problems);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const perDetector = values['per-detector'] === 'none' ? [] : (detectorsFlag('per-detector', values['per-detector'], problems) ?? ['midas']);
  const connectionLogDetectors = detectorsFlag('connection-log-detectors', values['connection-log-detectors'], problems);
  const processDetectors = detectorsFlag('process-detectors', values['process-detectors'], problems);
  const threads = threadsFlag(values.threads, problems);
  const sizes = (problems.check(() => listFlag('sizes', values.sizes)) ?? ['14', '200', '1000']).map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 2) problems.note(`--sizes: expected whole numbers of services ≥ 2 (got ${JSON.stringify(s)})`);
    return n;
  });
  const intervals = problems.check(() => numberFlag('intervals', values.intervals)) ?? 2000;
  if (!Number.isInteger(intervals) || intervals < 20) problems.note(`--intervals: expected a whole number ≥ 20 (got ${intervals})`);
  const processRounds = problems.check(() => count('process-rounds', values['process-rounds'], 3)) ?? 0;
  const connectionLogIntervals = problems.check(() => count('connection-log', values['connection-log'], 6_000)) ?? 0;
  if (connectionLogIntervals > 0 && connectionLogIntervals < 20) problems.note(`--connection-log: expected 0 or a whole number ≥ 20 (got ${connectionLogIntervals})`);
  const startupRounds = problems.check(() => count('startup-rounds', values['startup-rounds'], 5)) ?? 0;
  problems.throwIfAny();
  if (values.measure !== undefined) {
    process.stdout.write(`${JSON.stringify(await measureReplay(values.measure, perDetector))}\n`);
    return 0;
  }

  const root = mkdtempSync(join(tmpdir(), 'munnin-bench-'));
  const results: (BenchRow & { process?: WholeProcess })[] = [];
  let connectionLog: (WholeProcess & { intervals: number; nodes: number; detectors?: readonly string[] }) | undefined;
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
      const report = await measureInChild(dir, perDetector);
      const whole = processRounds > 0 ? await replayProcesses(dir, root, processRounds, `${services} services`, processDetectors, [], threads) : undefined;
      results.push({ services, edges: run.edges, intervals, ...report, ...(whole ? { process: whole } : {}) });
      rmSync(dir, { recursive: true, force: true });
      log.info(
        `bench: ${services} services: parse ${report.parseIntervalsPerSecond.toFixed(0)}/s, replay ${report.replayIntervalsPerSecond.toFixed(0)}/s, ` +
          `full ${report.fullReplayIntervalsPerSecond.toFixed(0)}/s (median of ${report.warmRounds} warm round(s); cold: parse ${report.coldParseIntervalsPerSecond.toFixed(0)}/s, ` +
          `replay ${report.coldReplayIntervalsPerSecond.toFixed(0)}/s), peak RSS ${report.peakRssMegabytes.toFixed(0)} MB`,
      );
    }
    if (connectionLogIntervals > 0) {
      const dir = join(root, 'connection-log');
      let last = Date.now();
      const run = writeConnectionLogRun(dir, {
        intervals: connectionLogIntervals,
        progress: (written) => {
          if (Date.now() - last < 2000) return;
          last = Date.now();
          log.info(`bench: connection log: generating ${written}/${connectionLogIntervals} intervals`);
        },
      });
      // One day of one-minute intervals trains the detectors (the default 60 s would be one interval).
      const training = ['--training', String(Math.min(86_400, 60 * Math.floor(connectionLogIntervals / 2)))];
      const whole = await replayProcesses(dir, root, Math.min(processRounds, 1) || 1, 'connection log', connectionLogDetectors, training, threads);
      connectionLog = { intervals: run.intervals, nodes: run.nodes, ...whole };
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const startup = startupRounds > 0 ? await measureStartup(['replay', 'experiment'], startupRounds) : undefined;
  if (values.json) {
    const sizesOut = results.map(({ services, edges, intervals: n, parseIntervalsPerSecond, replayIntervalsPerSecond, peakRssMegabytes, detectorIntervalsPerSecond, process: whole, ...r }) => ({
      services,
      edges,
      intervals: n,
      parseIntervalsPerSecond: round(parseIntervalsPerSecond),
      replayIntervalsPerSecond: round(replayIntervalsPerSecond),
      // The table's other rates: full, the cold pass, and per CPU second.
      fullReplayIntervalsPerSecond: round(r.fullReplayIntervalsPerSecond),
      coldParseIntervalsPerSecond: round(r.coldParseIntervalsPerSecond),
      coldReplayIntervalsPerSecond: round(r.coldReplayIntervalsPerSecond),
      parseIntervalsPerCpuSecond: round(r.parseIntervalsPerCpuSecond),
      replayIntervalsPerCpuSecond: round(r.replayIntervalsPerCpuSecond),
      fullReplayIntervalsPerCpuSecond: round(r.fullReplayIntervalsPerCpuSecond),
      peakRssMegabytes: round(peakRssMegabytes),
      ...(Object.keys(detectorIntervalsPerSecond).length > 0 ? { detectors: detectorCosts(detectorIntervalsPerSecond, parseIntervalsPerSecond) } : {}),
      ...(whole ? { process: whole } : {}),
    }));
    process.stdout.write(`${JSON.stringify({ sizes: sizesOut, ...(connectionLog ? { connectionLog } : {}), ...(startup ? { startup } : {}) })}\n`);
  } else {
    process.stdout.write(benchTable(results));
    const rows: ProcessRow[] = results.flatMap((r) => (r.process ? [{ label: `${r.services} services${r.process.detectors ? `; ${r.process.detectors.join(', ')}` : ''}`, edges: r.edges, intervals: r.intervals, ...r.process }] : []));
    if (connectionLog) rows.push({ label: `connection log (${connectionLog.nodes} nodes${connectionLog.detectors ? `; ${connectionLog.detectors.join(', ')}` : ''})`, edges: undefined, ...connectionLog });
    const labelled = rows.map((row) => (row.threads === undefined ? row : { ...row, label: `${row.label}; ${row.threads} threads` }));
    if (labelled.length > 0) process.stdout.write(`\nwhole process (\`replay <run> --no-report --quiet\`, a fresh process per round):\n${processTable(labelled)}`);
    if (startup) process.stdout.write(`\nstart-up (median of ${startup.rounds}):\n${startupTable(startup)}`);
  }
  return 0;
}

/**
 * The whole replay command, in a fresh process per round, from a folder without parameters.ts
 * (default parameters, as in-process), with `detectors` only when given (kept with the figures).
 */
async function replayProcesses(dir: string, root: string, rounds: number, what: string, detectors: readonly string[] | undefined, extra: readonly string[] = [], asked: ThreadsSetting = 'auto'): Promise<WholeProcess> {
  const runs = [];
  const out = join(root, 'process-out');
  // `auto` decided here as the replay would, so the table says which it was.
  const threads = asked === 'auto' ? autoThreads(dir, detectors ?? DETECTOR_NAMES).threads : asked;
  const only = [...(detectors ? ['--detectors', detectors.join(',')] : []), '--threads', String(threads)];
  for (let r = 0; r < rounds; r++) {
    const run = await runProcess([...commandArgs('replay'), dir, '--no-report', '--quiet', '--out', out, ...extra, ...only], root, RSS_SAMPLE_MS);
    rmSync(out, { recursive: true, force: true });
    runs.push(run);
    log.info(
      `bench: ${what}: whole process ${r + 1}/${rounds} (${only.join(' ')}): ${run.seconds.toFixed(2)} s (CPU ${run.cpuSeconds.toFixed(2)} s), peak RSS ${run.peakRssMegabytes.toFixed(0)} MB` +
        (run.rssEndMegabytes !== undefined ? `, RSS ¼→end ${run.rssQuarterMegabytes!.toFixed(0)}→${run.rssEndMegabytes.toFixed(0)} MB` : ''),
    );
    if (run.seconds > 10) break;
  }
  return {
    rounds: runs.length,
    seconds: round(median(runs.map((x) => x.seconds)), 1000),
    cpuSeconds: round(median(runs.map((x) => x.cpuSeconds)), 1000),
    peakRssMegabytes: round(Math.max(...runs.map((x) => x.peakRssMegabytes))),
    // The first round's (as the in-process memory figures): later rounds only repeat it.
    ...(runs[0]!.rssEndMegabytes !== undefined ? { rssQuarterMegabytes: round(runs[0]!.rssQuarterMegabytes!), rssEndMegabytes: round(runs[0]!.rssEndMegabytes) } : {}),
    ...(detectors ? { detectors } : {}),
    ...(threads === 1 ? {} : { threads }),
  };
}

/** How often a whole-process replay samples its RSS (for ¼ → end). */
const RSS_SAMPLE_MS = 250;

/** Per detector alone: its rate with parsing, and its cost per interval beyond parsing (µs). */
function detectorCosts(rates: Readonly<Record<string, number>>, parseRate: number): Record<string, { intervalsPerSecond: number; microsecondsPerInterval: number }> {
  return Object.fromEntries(Object.entries(rates).map(([name, rate]) => [name, { intervalsPerSecond: round(rate), microsecondsPerInterval: round(1e6 * (1 / rate - 1 / parseRate)) }]));
}


function count(name: string, value: string | undefined, fallback: number): number {
  const n = numberFlag(name, value) ?? fallback;
  if (!Number.isInteger(n) || n < 0) throw new UserError(`--${name}: expected a whole number ≥ 0 (got ${n})`);
  return n;
}

function measureInChild(dir: string, perDetector: readonly string[]): Promise<BenchReport> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolvePromise, reject) => {
    // The same Node flags as this process: compiled, none; from src/, `--import tsx`.
    const alone = perDetector.length > 0 ? ['--per-detector', perDetector.join(',')] : ['--per-detector', 'none'];
    const child = spawn(process.execPath, [...process.execArgv, script, '--measure', dir, ...alone], { stdio: ['ignore', 'pipe', 'inherit'] });
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

function round(x: number, scale = 10): number {
  return Math.round(x * scale) / scale;
}

runCli(main);
