import { existsSync } from 'node:fs';
import { log } from '../logger.ts';
import { parseFlags } from './parseFlags.ts';
import { runCli } from './runCli.ts';

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

async function main(): Promise<number> {
  const { values } = parseFlags(process.argv.slice(2), DASHBOARD_FLAGS);
  if (values.help) {
    process.stdout.write(DASHBOARD_HELP);
    return 0;
  }
  const dataDir = values.data ?? 'experimental_data';
  // Listen for Ctrl-C / SIGTERM before anything is announced: a signal that comes right after
  // the first line must stop the server cleanly, not kill the process.
  let stopRequested!: () => void;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    stopRequested();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The server's modules load only now: `--help` answers at once.
  const { checkHost, checkPort, startDashboard } = await import('../dashboard/index.ts');
  const dashboard = await startDashboard({ dataDir, host: checkHost(values.host, '--host'), port: checkPort(values.port, '--port') });
  if (!existsSync(dataDir)) log.warn(`${dataDir} does not exist yet: no runs to show until an experiment writes one`);
  log.info(`dashboard: ${dashboard.url} (runs from ${dataDir}; Ctrl-C to stop)`);
  await stopped;
  await dashboard.close();
  return 0;
}

runCli(main);
