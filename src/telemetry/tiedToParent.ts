import { findBinary } from './findBinary.ts';

let setpriv: string | undefined | null = null;

/**
 * The command line that runs `binary args` so that the kernel kills it (SIGKILL) the moment
 * this process dies, however it dies: SIGKILL, an OOM kill, a crash, as well as a normal exit.
 * On Linux, util-linux's `setpriv --pdeathsig KILL` sets the parent-death signal
 * (prctl PR_SET_PDEATHSIG) and then execs the binary, so the child keeps its pid and takes
 * signals directly. Where setpriv is missing (not Linux) the command is unchanged and the
 * exit hook and reapStaleServers (the next start cleans up) remain.
 */
export function tiedToParent(binary: string, args: readonly string[]): { readonly command: string; readonly args: readonly string[] } {
  if (setpriv === null) setpriv = process.platform === 'linux' ? findBinary('setpriv') : undefined;
  if (setpriv === undefined) return { command: binary, args };
  return { command: setpriv, args: ['--pdeathsig', 'KILL', '--', binary, ...args] };
}
