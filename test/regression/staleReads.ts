// A run with stale reads, as Munnin's converter wrote them (../shared/data's README: a stale
// Prometheus read is a gap, and "an adjacent slice then usually holds two scrapes' worth of
// traffic"): shared by the regression tests on stale reads. The copy is written by
// writeInjectedRun's `staleReads` (src/replay/staleReads.ts), as `npm run quality` part g does.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeInjectedRun } from '../../src/replay/index.ts';

/** A copy of the run `source` in `dir` with slices `stale` read stale: each a gap, its traffic added to the next slice (same dt). Returns `dir`. */
export async function withStaleReads(source: string, dir: string, stale: readonly number[]): Promise<string> {
  await writeInjectedRun(source, dir, { inject: [], staleReads: stale });
  return dir;
}

/** The time of slice k of the run in `dir`. */
export function sliceTime(dir: string, k: number): number {
  return (JSON.parse(readFileSync(join(dir, 'snapshots.ndjson'), 'utf8').split('\n')[k]!) as { t: number }).t;
}
