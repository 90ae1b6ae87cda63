import { EXPERIMENT_FLAGS, EXPERIMENT_HELP } from './experimentFlags.ts';
import { parseFlags } from './parseFlags.ts';
import { runCli } from './runCli.ts';

// Only the flags are loaded up front: `--help` and a mistyped flag answer at once, and the
// experiment's own modules load when there is an experiment to run.
async function main(): Promise<number> {
  const { values } = parseFlags(process.argv.slice(2), EXPERIMENT_FLAGS);
  if (values.help) {
    process.stdout.write(EXPERIMENT_HELP);
    return 0;
  }
  const { experimentCommand } = await import('./experimentCommand.ts');
  return experimentCommand(values);
}

runCli(main);
