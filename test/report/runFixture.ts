import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeSnapshot } from './fakeReplay.ts';

/** The real 2018 Munnin run (copied into the repo; never read from ../shared). */
export const CYBERMONDAY = fileURLToPath(new URL('../fixtures/munnin-cybermonday-30k/', import.meta.url));

/** A fresh temporary folder for one test file. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `munnin-${prefix}-`));
}

/** Copy the cybermonday run to `dir` and return its path. */
export function copyCybermonday(dir: string): string {
  const runDir = join(dir, 'run');
  cpSync(CYBERMONDAY, runDir, { recursive: true });
  return runDir;
}

/** Write a run directory from plain objects (run.json, snapshots.ndjson, events.ndjson). */
export function writeRun(dir: string, run: Record<string, unknown>, snapshots: FakeSnapshot[], events: Record<string, unknown>[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 'munnin-run/1', ...run }, null, 2));
  writeFileSync(join(dir, 'snapshots.ndjson'), snapshots.map((s) => `${JSON.stringify(s)}\n`).join(''));
  writeFileSync(join(dir, 'events.ndjson'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return dir;
}
