import { UserError } from '../errors.ts';
import { terminalMessage } from '../terminalText.ts';

/**
 * Run a command's main function: a user mistake prints its message alone (exit 2), a bug
 * prints its stack (exit 1). Plain objects thrown by libraries are shown, not "[object Object]".
 */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
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
