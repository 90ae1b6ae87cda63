import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

// Shape only: speed is measured by `npm run bench` itself, never asserted in tests.
describe('npm run bench -- --json', () => {
  it('prints exactly one JSON object with one entry per size, progress on stderr', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'bench.ts'), '--json', '--sizes', '5,8', '--intervals', '30'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['sizes']);
    assert.equal(out.sizes.length, 2);
    assert.deepEqual(
      out.sizes.map((s: { services: number; intervals: number }) => [s.services, s.intervals]),
      [
        [5, 30],
        [8, 30],
      ],
    );
    for (const s of out.sizes) {
      assert.deepEqual(Object.keys(s), ['services', 'edges', 'intervals', 'parseIntervalsPerSecond', 'replayIntervalsPerSecond', 'peakRssMegabytes']);
      assert.ok(s.edges >= s.services, 'about 5 edges per service, fewer near the bottom of the call graph');
      for (const key of ['parseIntervalsPerSecond', 'replayIntervalsPerSecond', 'peakRssMegabytes']) assert.ok(Number.isFinite(s[key]) && s[key] > 0, key);
    }
    assert.match(r.stderr, /bench: 8 services/);
  });

  it('rejects bad sizes as a user error', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'bench.ts'), '--sizes', '10,lots'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'error: --sizes: expected whole numbers of services ≥ 2 (got "lots")\n');
  });
});
