import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors.ts';
import { parseFlags } from './parseFlags.ts';
import { runCli } from './runCli.ts';

export const EXPORT_HELP = `usage: npm run export -- <run dir> [--out <dir>] [--replay <dir>]

Writes the run as CSV for pandas and R:
  traffic.csv    t,src,dst,metric,value   one row per interval, edge and metric (long form);
                                          a pair absent from an interval carried nothing
  intervals.csv  t,dt,gap,attack          every interval; gap = telemetry unreadable (unknown,
                                          not zero traffic); attack = overlaps an attack
  scores.csv     t,detector,score,threshold,alarm,attack   replay's scores (after npm run replay)

  --out <dir>     where to write (default: <run dir>/export)
  --replay <dir>  replay outputs to read scores from (default: <run dir>/replay)
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
  // Loaded only now (arquero): `--help` answers at once.
  const { exportRun } = await import('../report/exportRun.ts');
  const result = await exportRun({ runDir, ...(values.out ? { outDir: values.out } : {}), ...(values.replay ? { replayDir: values.replay } : {}) });
  const show = (p: string) => relative(process.cwd(), p) || p;
  out(`${show(result.traffic.path)}  ${result.traffic.rows} rows\n`);
  out(`${show(result.intervals.path)}  ${result.intervals.rows} rows\n`);
  out(result.scores ? `${show(result.scores.path)}  ${result.scores.rows} rows\n` : `no scores.csv (run npm run replay -- ${runDir} first to export scores)\n`);
  return 0;
}

// Run only as a program, not when a test imports exportMain.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runCli(() => exportMain(process.argv.slice(2)));
