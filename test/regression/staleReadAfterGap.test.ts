// Regression (issue 14's hardening, found 7 Dec): Munnin's 2018 runs were converted with a stale
// Prometheus read written as a gap, and "an adjacent slice then usually holds two scrapes' worth
// of traffic" (../shared/data's README; the fixture's run.json says so in its caveats). The two
// shipped runs have no such gap, the 22 others may. Judged, the slice after the gap was a false
// alarm of `path`, `control-chart` and `ewma` every time: one stale read made at each of 15
// places of Munnin's benign run (slices 26-68, every third) gave each of them 15 false alarms in
// 900 benign slices, where the run itself has none. The frame right after a gap is now neither
// judged nor learnt (detectorOperator in src/detectors/detector.ts).

import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-stale-read-');
after(() => tmp.remove());

interface Line {
  t: number;
  dt: number;
  gap?: boolean;
  edges: Record<string, string | number>[];
}

/** Munnin's benign run with slice k read stale: a gap, and its traffic added to slice k + 1 (same dt). */
function withStaleRead(k: number): string {
  const source = new URL('../fixtures/munnin-cybermonday-0k/', import.meta.url).pathname;
  const dir = join(tmp.dir, `stale-${k}`);
  cpSync(source, dir, { recursive: true });
  const lines = readFileSync(join(source, 'snapshots.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Line);
  const merged = new Map<string, Record<string, string | number>>();
  for (const e of [...lines[k]!.edges, ...lines[k + 1]!.edges]) {
    const key = `${e['src']}→${e['dst']}`;
    const m = merged.get(key) ?? { src: e['src']!, dst: e['dst']! };
    for (const [name, v] of Object.entries(e)) if (name !== 'src' && name !== 'dst') m[name] = ((m[name] as number | undefined) ?? 0) + (v as number);
    merged.set(key, m);
  }
  lines[k] = { t: lines[k]!.t, dt: lines[k]!.dt, gap: true, edges: [] };
  lines[k + 1] = { t: lines[k + 1]!.t, dt: lines[k + 1]!.dt, edges: [...merged.values()] };
  writeFileSync(join(dir, 'snapshots.ndjson'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return dir;
}

test("a stale read on Munnin's benign run (a gap, then a slice holding two): the slice after the gap is not judged, and no false alarm comes of it", async () => {
  const detectors = resolveParameters({ detectors: { enabled: ['path', 'control-chart', 'ewma'], trainingSeconds: 60 } }).detectors;
  for (const k of [29, 41, 53, 65]) {
    const run = withStaleRead(k);
    const out = join(tmp.dir, `out-${k}`);
    const log = captureLog();
    const { summary } = await runReplay(run, { outDir: out, detectors });
    log.restore();
    assert.match(log.text('warn'), /^1 interval\(s\) right after a gap not judged by any detector/m);
    const t = (JSON.parse(readFileSync(join(run, 'snapshots.ndjson'), 'utf8').split('\n')[k + 1]!) as Line).t;
    const rows = readFileSync(join(out, 'scores.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    for (const name of ['path', 'control-chart', 'ewma']) {
      const row = rows.find((r) => Math.abs(Number(r[0]) - t) < 1e-6 && r[1] === name);
      assert.ok(row !== undefined, `${name}: the slice after the gap (slice ${k + 1}) is in scores.csv`);
      assert.equal(row[2], 'NaN', `${name}, slice ${k + 1}: not judged`);
      assert.equal(row[4], 'false', `${name}, slice ${k + 1}: no alarm`);
      // Still counted, as run-format.md counts every scored interval but gaps: one benign interval.
      assert.equal(summary.detectors[name]!.fp, 0, `${name}, stale read at slice ${k}: ${summary.detectors[name]!.fp} false alarms`);
    }
    assert.equal(summary.gapIntervals, 1);
  }
});
