import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors.ts';
import type { ExportResult } from '../report/index.ts';
import { parseFlags } from './parseFlags.ts';
import { runCli } from './runCli.ts';

export const EXPORT_HELP = `usage: npm run export -- <run dir | sweep folder> [--out <dir>] [--replay <dir>]

Writes the run as CSV for pandas and R (every row starts with its run):
  traffic.csv    run,t,src,dst,metric,value   one row per interval, edge and metric (long
                                              form); a pair absent from an interval carried nothing
  intervals.csv  run,t,dt,gap,attack,grace    every interval; gap = telemetry unreadable (unknown,
                                              not zero traffic); attack = shares time with an
                                              attack; grace = the interval right after one
                                              (left out of the counts)
  scores.csv     run,variant,t,detector,score,threshold,alarm,training,attack,grace
                 replay's scores (after npm run replay); training rows have no score
  alerts.csv     run,variant,t,detector,score,threshold,attack,rank,src,dst,metric,blamedScore
                 one row per alarm and blamed edge (rank 1 = blamed first)

Given a sweep folder (holding sweep.json), the same files over all its runs, with a column
per axis: run, repeat and the experiment-side axes in every file; variant, the detector-side
axes (and injectBytesPerInterval when the sweep injects) in scores.csv and alerts.csv.

  --out <dir>     where to write (default: <run dir>/export)
  --replay <dir>  replay outputs to read scores from (default: <run dir>/replay; not for sweeps);
                  after an --inject replay, traffic.csv holds the injected bytes and
                  intervals.csv marks the injected attacks, as the detectors saw them
  -h, --help      this text
`;

const FLAGS = {
  out: { type: 'string' },
  replay: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The export command, callable from tests with its own argv and output. */
export async function exportMain(argv: readonly string[], out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, true);
  if (values.help) {
    out(EXPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1 || !positionals[0]) {
    throw new UserError(`expected one run directory (got ${positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ')}); usage: npm run export -- experimental_data/run1`);
  }
  const runDir = positionals[0];
  const show = (p: string) => relative(process.cwd(), p) || p;
  if ((await import('../sweep/sweepIndex.ts')).isSweepDir(runDir)) {
    if (values.replay) throw new UserError('--replay goes with a run directory; a sweep exports the replays of each of its runs');
    // Loaded only now (arquero): `--help` answers at once.
    const { exportSweep } = await import('../report/exportSweep.ts');
    const result = await exportSweep({ sweepDir: runDir, ...(values.out ? { outDir: values.out } : {}) });
    out(`sweep ${runDir}: ${result.runs} runs${result.missing.length > 0 ? ` (${result.missing.length} not recorded yet, left out: ${result.missing.join(', ')})` : ''}\n`);
    listFiles(result, show, out, `npm run replay -- ${runDir}`);
    return 0;
  }
  const { exportRun } = await import('../report/exportRun.ts');
  const result = await exportRun({ runDir, ...(values.out ? { outDir: values.out } : {}), ...(values.replay ? { replayDir: values.replay } : {}) });
  listFiles(result, show, out, `npm run replay -- ${runDir}`);
  return 0;
}

function listFiles(result: ExportResult, show: (p: string) => string, out: (text: string) => void, replayCommand: string): void {
  out(`${show(result.traffic.path)}  ${result.traffic.rows} rows\n`);
  out(`${show(result.intervals.path)}  ${result.intervals.rows} rows\n`);
  if (result.injected !== undefined) out(`traffic.csv and intervals.csv are as the replay saw the run: with the bytes it injected (--inject: ${result.injected}) and its attacks\n`);
  if (result.scores && result.alerts) {
    out(`${show(result.scores.path)}  ${result.scores.rows} rows\n`);
    out(`${show(result.alerts.path)}  ${result.alerts.rows} rows\n`);
  } else out(`no scores.csv or alerts.csv (run ${replayCommand} first to export scores and alerts)\n`);
}

// Run only as a program, not when a test imports exportMain.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runCli(() => exportMain(process.argv.slice(2)));
