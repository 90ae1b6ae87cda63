import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../types.ts';

/**
 * The files of a run copied with changes (writeInjectedRun, writeScaledAttackRun) besides its
 * snapshots: events.ndjson as given, and run.json as the original's, every field kept (writers
 * may add fields, run-format.md), with the copy's `name` (default: the original's + `-suffix`)
 * and an `injected` block saying what was done, from which run, so a folder replay leaves the
 * copy out of the false-alarm promise test.
 */
export function writeRunCopyFiles(runDir: string, outDir: string, copy: { readonly suffix: string; readonly name?: string | undefined; readonly injected: Readonly<Record<string, unknown>>; readonly events: readonly RunEvent[] }): void {
  writeFileSync(join(outDir, 'events.ndjson'), copy.events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  const original = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Record<string, unknown>;
  const name = copy.name ?? `${typeof original['name'] === 'string' ? original['name'] : 'run'}-${copy.suffix}`;
  writeFileSync(join(outDir, 'run.json'), `${JSON.stringify({ ...original, name, injected: { from: runDir, ...copy.injected } }, null, 2)}\n`);
}
