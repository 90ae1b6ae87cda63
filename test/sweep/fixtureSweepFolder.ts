import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Munnin's 30 kB run (test/fixtures), the run most sweep tests copy. */
export const MUNNIN_30K = join(import.meta.dirname, '..', 'fixtures', 'munnin-cybermonday-30k');

/** What a test's sweep.json says beyond its format and dates (`munnin-sweep/1`, README "sweep.json"). */
export interface FixtureSweepIndex {
  readonly name: string;
  readonly repeats?: number;
  readonly axes: readonly unknown[];
  readonly base: unknown;
  readonly runs: readonly { readonly name: string; readonly axisValues: Readonly<Record<string, unknown>>; readonly repeat: number; readonly status: string }[];
  readonly inject?: unknown;
}

/**
 * A sweep folder for a replay test: each of the index's runs a copy of `fixture` (without its
 * replay/), and sweep.json as given, created and updated at fixed times.
 */
export function writeFixtureSweepFolder(dir: string, index: FixtureSweepIndex, fixture = MUNNIN_30K): void {
  for (const run of index.runs) {
    cpSync(fixture, join(dir, run.name), { recursive: true });
    rmSync(join(dir, run.name, 'replay'), { recursive: true, force: true });
  }
  const { name, repeats = 1, ...rest } = index;
  writeFileSync(
    join(dir, 'sweep.json'),
    JSON.stringify({ format: 'munnin-sweep/1', name, createdAt: '2026-11-21T04:00:00.000Z', updatedAt: '2026-11-21T05:12:09.000Z', repeats, ...rest }),
  );
}
