import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, writeRunFiles } from '../util.ts';

// Bug: replay checked its detector settings with the experiment's cross-field rules, so a
// one-day training stretch for a converted week-long run was refused "detectors.trainingSeconds:
// must be shorter than durationSeconds (150)" (the default experiment length, nothing to do with
// the run). Replay now reads and checks only `detectors`.
it('replays a week-long run with a one-day training stretch, whatever durationSeconds says', () => {
  const tmp = makeTempDir('munnin-week-');
  try {
    const hours = 7 * 24;
    const lines = Array.from({ length: hours }, (_, i) => JSON.stringify({ t: 1_700_000_000 + 3600 * (i + 1), dt: 3600, edges: [{ src: 'a', dst: 'b', request_bytes: 1e6 + ((i * 7919) % 1000) }] }));
    const dir = writeRunFiles(join(tmp.dir, 'week'), { manifest: { format: 'munnin-run/1', name: 'week', intervalSeconds: 3600, metrics: ['request_bytes'] }, snapshots: `${lines.join('\n')}\n`, events: '' });
    const params = join(tmp.dir, 'day.ts');
    writeFileSync(params, "export default { detectors: { trainingSeconds: 86400, enabled: ['ewma'] } };\n");
    const root = join(import.meta.dirname, '..', '..');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'replay.ts'), dir, '--parameters', params, '--no-report', '--quiet'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    // Training: intervals ending within 86,400 s of the start: the first 24 hours.
    assert.match(r.stdout, new RegExp(`run week: ${hours} intervals \\(0 gaps, 24 training\\), ${hours - 24} scored`));
  } finally {
    tmp.remove();
  }
});
