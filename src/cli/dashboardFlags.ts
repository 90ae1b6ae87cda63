import { FlagProblems } from './flagProblems.ts';
import { parseFlags } from './parseFlags.ts';

export const DASHBOARD_HELP = `npm run dashboard -- [flags]

Serve the web dashboard: the runs recorded in experimental_data/ (summary, report charts,
a slider through their intervals) and a read-only JSON API under /api. For the live view
of an experiment, run it with: npm run experiment -- --dashboard

Flags:
  --port <n>     TCP port (default 5001; 0 = any free port)
  --host <addr>  interface to listen on (default 127.0.0.1, this machine only);
                 anything else makes every run readable from the network
  --data <dir>   folder holding the runs (default experimental_data)
  --help         this text
`;

export const DASHBOARD_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type DashboardArgs = { readonly help: true } | { readonly help?: false; readonly dataDir: string; readonly host: string; readonly port: number };

/**
 * The dashboard's command line, checked: every mistake at once (an unknown flag, a flag
 * without its value, a bad port or host), as one UserError (see FlagProblems), as replay,
 * import and record do. The port and host checks are the server's own (dashboardOptions),
 * loaded only after `--help` is answered: nothing of src/dashboard loads for it.
 */
export async function parseDashboardArgs(argv: readonly string[]): Promise<DashboardArgs> {
  const problems = new FlagProblems();
  const { values } = parseFlags(argv, DASHBOARD_FLAGS, false, problems);
  if (values.help) return { help: true };
  const { checkHost, checkPort } = await import('../dashboard/dashboardOptions.ts');
  const host = problems.check(() => checkHost(values.host, '--host'));
  const port = problems.check(() => checkPort(values.port, '--port'));
  problems.throwIfAny();
  return { dataDir: values.data ?? 'experimental_data', host: host!, port: port! };
}
