import { existsSync } from 'node:fs';
import { log } from '../logger.ts';
import { DASHBOARD_HELP, parseDashboardArgs } from './dashboardFlags.ts';
import { runCli } from './runCli.ts';

async function main(): Promise<number> {
  const args = await parseDashboardArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(DASHBOARD_HELP);
    return 0;
  }
  const { dataDir, host, port } = args;
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
  const { startDashboard } = await import('../dashboard/index.ts');
  const dashboard = await startDashboard({ dataDir, host, port });
  if (!existsSync(dataDir)) log.warn(`${dataDir} does not exist yet: no runs to show until an experiment writes one`);
  log.info(`dashboard: ${dashboard.url} (runs from ${dataDir}; Ctrl-C to stop)`);
  await stopped;
  await dashboard.close();
  return 0;
}

runCli(main);
