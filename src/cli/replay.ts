import { parseReplayArgs, REPLAY_HELP } from './replayFlags.ts';
import { runCli } from './runCli.ts';

// Only the flags are loaded up front: `--help` and a mistyped flag answer at once, and the
// replay's own modules load when there is a replay to run.
async function main(): Promise<number> {
  const args = parseReplayArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(REPLAY_HELP);
    return 0;
  }
  const { replayCommand } = await import('./replayCommand.ts');
  return replayCommand(args);
}

runCli(main);
