// Munnin's database edges are counters cumulative per connection (../shared/data's README): on
// user → user-db the 30 kB run reads 164-168 M and 243-255 M bytes in alternate slices, two
// connections' totals. A connection opened again mid-run (a pod restarted, a pool refreshed)
// would start its total again from about zero: one hop of the attack's path falling by ~10⁸ bytes
// and growing from there. A hop's z enters the path's sum with its sign (winsorised at ±8), so a
// fit that read the fall as a deep shortfall for long would pull the path's score down by up to
// 8/√3 and hide the attacks. Measured here, on Munnin's two runs with both connections of
// user → user-db reset before the first attack or between the attacks: it does not.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveParameters } from '../../../src/config/index.ts';
import { runReplay } from '../../../src/replay/index.ts';
import { captureLog, makeTempDir } from '../../util.ts';

const tmp = makeTempDir('munnin-counter-reset-');
after(() => tmp.remove());

type Slice = { gap?: boolean; edges?: Record<string, unknown>[] };

/**
 * A copy of `run` in `dir` whose edge src → dst reads, from slice `from` on, each connection's
 * total since then plus 1,000 bytes: the connection of alternate slices (parity) opened again.
 */
function withReset(run: string, dir: string, src: string, dst: string, from: number): string {
  const source = new URL(`../../fixtures/${run}/`, import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  for (const file of ['run.json', 'events.ndjson']) symlinkSync(join(source, file), join(dir, file));
  const slices = readFileSync(join(source, 'snapshots.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Slice);
  const base = new Map<string, number>();
  for (const [k, slice] of slices.entries()) {
    if (k < from || slice.gap === true) continue;
    for (const e of slice.edges ?? []) {
      if (e['src'] !== src || e['dst'] !== dst) continue;
      for (const m of ['tcp_sent_bytes', 'tcp_received_bytes']) {
        const key = `${(k - from) % 2}/${m}`;
        const v = e[m] as number;
        if (!base.has(key)) base.set(key, v - 1000);
        e[m] = v - base.get(key)!;
      }
    }
  }
  writeFileSync(join(dir, 'snapshots.ndjson'), `${slices.map((s) => JSON.stringify(s)).join('\n')}\n`);
  return dir;
}

test("a database connection's counter reset on the attack's path: path still catches Munnin's five 30 kB attacks, and alarms on nothing in his benign run", async () => {
  const detectors = resolveParameters({ detectors: { enabled: ['path'], trainingSeconds: 60 } }).detectors;
  // Slice 25 is past the 60 s of training, before the first attack (slice 40); 55 between the attacks at 205 and 300 s.
  for (const from of [25, 55]) {
    for (const run of ['munnin-cybermonday-30k', 'munnin-cybermonday-0k']) {
      const dir = withReset(run, join(tmp.dir, `${run}-${from}`), 'user', 'user-db', from);
      const copy = readFileSync(join(dir, 'snapshots.ndjson'), 'utf8').split('\n');
      const hop = (k: number) => ((JSON.parse(copy[k]!) as Slice).edges ?? []).find((e) => e['src'] === 'user' && e['dst'] === 'user-db')!['tcp_sent_bytes'] as number;
      // The copy really resets: tens of millions before, a thousand at the reset, growing after.
      assert.ok(hop(from - 1) > 1e7 && hop(from) === 1000 && hop(from + 1) === 1000 && hop(from + 2) > 1000, `${run} at ${from}`);
      const log = captureLog();
      const { summary } = await runReplay(dir, { outDir: join(tmp.dir, `out-${run}-${from}`), detectors });
      log.restore();
      const path = summary.detectors['path']!;
      if (run.endsWith('30k')) assert.equal(path.events?.detected, 5, `reset at slice ${from}: ${path.events?.detected} of 5 caught`);
      assert.equal(path.fp, 0, `${run}, reset at slice ${from}: ${path.fp} false alarms`);
    }
  }
});
