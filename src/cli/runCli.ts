import { whenEventLoopDrained } from '../eventLoopDrained.ts';
import { UserError } from '../errors.ts';
import { terminalMessage } from '../terminalText.ts';

/**
 * Run a command's main function: a user mistake prints its message alone (exit 2), a bug
 * prints its stack (exit 1). Plain objects thrown by libraries are shown, not "[object Object]".
 * A main that never settles (the event loop ran dry while it waited: nothing could settle it
 * any more) is a failure too, not the silent exit 0 Node would give it.
 */
export function runCli(main: () => Promise<number | void>): void {
  const unwatch = whenEventLoopDrained(() => {
    process.stderr.write('munnin: unexpected error (a bug; please report it): the command stopped before finishing: it was waiting for something that could no longer happen (nothing was left to run)\n');
    process.exitCode = 1;
  }, 'lastResort');
  main().then(
    (code) => {
      unwatch();
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      unwatch();
      if (error instanceof UserError) {
        process.stderr.write(`error: ${terminalMessage(error.message)}\n`);
        process.exitCode = 2;
        return;
      }
      process.stderr.write(`munnin: unexpected error (a bug; please report it):\n${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}\n`);
      process.exitCode = 1;
    },
  );
}
