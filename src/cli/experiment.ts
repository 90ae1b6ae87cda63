import { join, relative } from 'node:path';
import { loadParameters, resolveParameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { runExperiment } from '../experiment/index.ts';
import { log } from '../logger.ts';
import { nextRunName } from '../store/index.ts';
import { applyFlags, EXPERIMENT_FLAGS, EXPERIMENT_HELP } from './experimentFlags.ts';
import { parseFlags } from './parseFlags.ts';
import { runCli } from './runCli.ts';

async function main(): Promise<number> {
  const { values } = parseFlags(process.argv.slice(2), EXPERIMENT_FLAGS);
  if (values.help) {
    process.stdout.write(EXPERIMENT_HELP);
    return 0;
  }
  const file = values.parameters ?? 'parameters.ts';
  const module = await loadParameters(file);
  if ((values.context || values.namespace) && (values.target ?? (module.parameters as { target?: string }).target) !== 'kubernetes') {
    throw new UserError('--context and --namespace go with --target kubernetes');
  }
  const params = resolveParameters(applyFlags(module.parameters, values), relative(process.cwd(), module.file) || file);
  const name = params.name ?? nextRunName(params.outputDir);

  // First Ctrl-C: stop cleanly and keep the run. Second: leave at once.
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts === 1) {
      log.warn('stopping (Ctrl-C again to quit at once)...');
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const result = await runExperiment(params, name, { signal: controller.signal, progress: !values.quiet });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  const dir = relative(process.cwd(), result.dir) || result.dir;
  process.stdout.write(
    `\nrun written to ${dir}${result.complete ? '' : ' (interrupted: complete: false)'}\n` +
      `  ${result.intervals} intervals (${result.gaps} gaps), ${result.exfiltrations} exfiltrations, ${result.alarms} live alerts\n` +
      `replay it with:\n  npm run replay -- ${join(dir)}\n`,
  );
  return result.complete ? 0 : 130;
}

runCli(main);
