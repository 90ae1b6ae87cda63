import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from '../logger.ts';
import { processAlive } from '../processAlive.ts';

/** File in a managed server's temporary folder naming the munnin process that owns it. */
const OWNER_FILE = 'owner.json';

/** Mark a managed server's folder as this process's (see reapStaleServers). */
export function claimServerDir(dir: string): void {
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid: process.pid }));
}

/**
 * Clean up after a munnin that died without cleaning up (SIGKILL, an OOM kill, a power cut):
 * every `munnin-<kind>-*` folder in the temporary directory whose owner process is gone is
 * removed, and any process still running from it (its command line names the folder: a
 * server outliving its owner where the kernel could not be asked to kill it, see
 * tiedToParent) is killed first. Folders of live munnin processes are left alone.
 * Returns the folders removed.
 */
export function reapStaleServers(kinds: readonly string[] = ['prometheus', 'victoria-metrics'], dir = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const reaped: string[] = [];
  for (const name of names) {
    if (!kinds.some((k) => name.startsWith(`munnin-${k}-`))) continue;
    const folder = join(dir, name);
    const owner = ownerPid(folder);
    if (owner === undefined || processAlive(owner)) continue;
    for (const pid of processesNaming(folder)) {
      try {
        process.kill(pid, 'SIGKILL');
        log.warn(`killed a managed server left running by a munnin that died (pid ${pid}, folder ${folder})`);
      } catch {
        // Gone meanwhile.
      }
    }
    rmSync(folder, { recursive: true, force: true });
    reaped.push(folder);
  }
  return reaped;
}

function ownerPid(folder: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(join(folder, OWNER_FILE), 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Pids whose command line mentions `folder` (Linux /proc; none elsewhere). */
function processesNaming(folder: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const p of pids) {
    try {
      const cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (cmdline.split('\0').some((arg) => arg === folder || arg.startsWith(`${folder}/`) || arg.includes(`=${folder}/`))) found.push(Number(p));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}
