import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NEW_LINK_PATHS, newLinkFolder } from '../../src/cli/qualityNewLinkFolder.ts';
import { QUALITY_SIZES } from '../../src/cli/qualityFlags.ts';

const RUN = fileURLToPath(new URL('../fixtures/default-benign-runs/run1', import.meta.url));

test('quality part j: per route (user and carts out to external) and size four copies of a default recording, each with one one-interval attack along the route, at the intervals 2, 14, 26 and 38 after 60 s of training', async () => {
  const out = mkdtempSync(join(tmpdir(), 'munnin-newlink-'));
  try {
    const folder = await newLinkFolder([{ name: 'run1', dir: RUN }], out, 60);
    const names = readdirSync(folder).sort();
    assert.deepEqual(NEW_LINK_PATHS, [
      ['user-db', 'user', 'external'],
      ['carts-db', 'carts', 'external'],
    ]);
    assert.equal(names.length, 1 + 2 * 4 * QUALITY_SIZES.length);
    assert.ok(names.includes('run1-benign'));
    const start = (JSON.parse(readFileSync(join(RUN, 'snapshots.ndjson'), 'utf8').split('\n')[0]!) as { t: number; dt: number });
    const runStart = start.t - start.dt;
    for (const [service, store] of [['user', 'user-db'], ['carts', 'carts-db']] as const) {
      for (const bytes of QUALITY_SIZES) {
        for (const [p, interval] of [32, 44, 56, 68].entries()) {
          const name = `run1-${service}-out-${String(bytes / 1000).padStart(3, '0')}kB-${p + 1}`;
          const events = readFileSync(join(folder, name, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; start: number; end: number; bytes: number; path: string[] });
          const attacks = events.filter((e) => e.kind === 'exfiltration');
          assert.equal(attacks.length, 1, name);
          // Interval k (2-s intervals) runs from 2k to 2k + 2 s after the run's start.
          assert.deepEqual({ start: attacks[0]!.start - runStart, end: attacks[0]!.end - runStart, bytes: attacks[0]!.bytes, path: attacks[0]!.path }, { start: 2 * interval, end: 2 * interval + 2, bytes, path: [store, service, 'external'] });
        }
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
