import { parseQualityArgs, QUALITY_HELP } from './qualityFlags.ts';
import { runCli } from './runCli.ts';

// As replay.ts: only the flags up front, the work when there is some.
async function main(): Promise<number> {
  const args = parseQualityArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(QUALITY_HELP);
    return 0;
  }
  const { qualityCommand } = await import('./qualityCommand.ts');
  return qualityCommand(args);
}

runCli(main);
