// A run with stale reads, as Munnin's converter wrote them (../shared/data's README: a stale
// Prometheus read is a gap, and "an adjacent slice then usually holds two scrapes' worth of
// traffic"): shared by the regression tests on stale reads.

import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Line {
  t: number;
  dt: number;
  gap?: boolean;
  edges: Record<string, string | number>[];
}

/** A copy of the run `source` in `dir` with slices `stale` read stale: each a gap, its traffic added to the next slice (same dt). Returns `dir`. */
export function withStaleReads(source: string, dir: string, stale: readonly number[]): string {
  cpSync(source, dir, { recursive: true });
  const lines = readFileSync(join(source, 'snapshots.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Line);
  for (const k of stale) {
    const merged = new Map<string, Record<string, string | number>>();
    for (const e of [...lines[k]!.edges, ...lines[k + 1]!.edges]) {
      const key = `${e['src']}→${e['dst']}`;
      const m = merged.get(key) ?? { src: e['src']!, dst: e['dst']! };
      for (const [name, v] of Object.entries(e)) if (name !== 'src' && name !== 'dst') m[name] = ((m[name] as number | undefined) ?? 0) + (v as number);
      merged.set(key, m);
    }
    lines[k] = { t: lines[k]!.t, dt: lines[k]!.dt, gap: true, edges: [] };
    lines[k + 1] = { t: lines[k + 1]!.t, dt: lines[k + 1]!.dt, edges: [...merged.values()] };
  }
  writeFileSync(join(dir, 'snapshots.ndjson'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return dir;
}

/** The time of slice k of the run in `dir`. */
export function sliceTime(dir: string, k: number): number {
  return (JSON.parse(readFileSync(join(dir, 'snapshots.ndjson'), 'utf8').split('\n')[k]!) as Line).t;
}
