// What `exec` does in the locustio/locust image (python:3.x-slim): only the programs the image
// has can be started. There is no procps, so no `kill` program; the shell's `kill` builtin works.
// Stands in for the container runtime behind the fake API server's exec.
import type { ExecHandler } from './fakeApiServer.ts';

const PROGRAMS = new Set(['sh', '/bin/sh', 'bash', 'python', 'python3', 'locust']);

/**
 * An exec handler for the Locust pod: `sh -c '<script>'` whose script sends SIGTERM to PID 1
 * through the shell builtin calls `onTerm` (Locust stops and prints its statistics); a program
 * the image lacks fails as runc reports it.
 */
export function locustImageExec(onTerm: () => void, calls: string[][] = []): ExecHandler {
  return ({ namespace, pod, container, command }) => {
    calls.push([namespace, pod, container, ...command]);
    const program = command[0] ?? '';
    if (!PROGRAMS.has(program)) {
      return {
        stderr: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown\r\n`,
        exitCode: 126,
      };
    }
    if ((program === 'sh' || program === '/bin/sh') && command[1] === '-c' && /^\s*kill\s+(-TERM|-15|-s\s+TERM)\s+1\s*$/.test(command[2] ?? '')) {
      onTerm();
      return { exitCode: 0 };
    }
    return { stderr: `unexpected command in the test: ${command.join(' ')}\n`, exitCode: 2 };
  };
}
