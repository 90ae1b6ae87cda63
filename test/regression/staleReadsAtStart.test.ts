// Regression (issue 14's hardening, found 7 Dec, second session): `path`'s limit on a short run is
// fitted to its first ~20 scores, and those came from hops whose load fits rested on a handful of
// observations. Stale reads early in Munnin's attack run (each a gap, its traffic added to the
// next slice, as Munnin's converter wrote them; see staleReadAfterGap.test.ts) change which
// observations those are, and the first limit moved with them: 2.45 on the run as shipped, 4.97
// with slice 0 stale, 1.20 with slices 0, 3 and 9 stale. With slices 0, 13, 15, 36 and 49 stale
// `path` caught 1 of the 5 attacks; with 0, 3 and 9, a benign slice crossed the low limit. Its
// load residuals are now self-starting (each widened by its fit's own uncertainty, and mapped
// through Student's t while the scale rests on few residuals: LoadResiduals, `selfStarting`).

import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-stale-start-');
after(() => tmp.remove());

interface Line {
  t: number;
  dt: number;
  gap?: boolean;
  edges: Record<string, string | number>[];
}

/** Munnin's attack run with slices `stale` read stale: each a gap, its traffic added to the next slice. */
function withStaleReads(stale: readonly number[]): string {
  const source = new URL('../fixtures/munnin-cybermonday-30k/', import.meta.url).pathname;
  const dir = join(tmp.dir, `stale-${stale.join('-')}`);
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

test("stale reads early in Munnin's attack run: path still catches all five attacks, with at most one false alarm", async () => {
  const detectors = resolveParameters({ detectors: { enabled: ['path'], trainingSeconds: 60 } }).detectors;
  for (const stale of [[0], [0, 3, 9], [0, 13, 15, 36, 49], [0, 4, 8, 28, 39]]) {
    const log = captureLog();
    const { summary } = await runReplay(withStaleReads(stale), { outDir: join(tmp.dir, `out-${stale.join('-')}`), detectors });
    log.restore();
    const path = summary.detectors['path']!;
    assert.equal(summary.gapIntervals, stale.length);
    assert.equal(path.events?.detected, 5, `stale reads at ${stale.join(', ')}: ${path.events?.detected} of 5 attacks caught`);
    assert.ok(path.fp <= 1, `stale reads at ${stale.join(', ')}: ${path.fp} false alarms`);
  }
});
