import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePath, replaySweep, type ResolvedAxis } from '../../src/sweep/index.ts';
import { replayVariants } from '../../src/dashboard/replayVariants.ts';
import { readListedFiles } from '../../src/dashboard/runListing.ts';
import { captureLog, makeTempDir } from '../util.ts';
import { writeFixtureSweepFolder } from '../sweep/fixtureSweepFolder.ts';

// Bug: replaying a sweep folder again with other detector-side axes (./parameters.ts's `rate`
// axis, then sweep.json's `k`) left the first replay's outputs beside the second's: the
// `f1-vs-bytes_rate=*.png` charts stayed next to a comparison.csv without a rate axis, and the
// runs' replay/rate=*/ folders stayed, which the dashboard then ranked as "best of 4 replays"
// of a comparison that had 2. A sweep replay's outputs now replace the previous ones whole:
// charts not drawn this time and variant folders the previous comparison.json listed and this
// replay did not write are removed; anything else in the folders (notes) stays. And the
// dashboard shows a sweep run's replays only as the latest comparison.json lists them.

const rateAxis: ResolvedAxis = {
  name: 'rate',
  path: 'detectors.falseAlarmRate',
  segments: parsePath('detectors.falseAlarmRate'),
  side: 'detector',
  values: [0.01, 0.001],
  labels: ['0.01', '0.001'],
};

describe('a sweep replayed again with other axes', { timeout: 120_000 }, () => {
  it('keeps no chart or variant folder of the earlier replay', async () => {
    const tmp = makeTempDir('munnin-stale-sweep-');
    const log = captureLog();
    try {
      const dir = join(tmp.dir, 'mysweep');
      writeFixtureSweepFolder(dir, {
        name: 'mysweep',
        axes: [
          { name: 'bytes', path: 'exfiltration[*].bytes', side: 'experiment', values: [30000] },
          { name: 'k', path: 'detectors.options.ewma.k', side: 'detector', values: [2, 3] },
        ],
        base: { detectors: { trainingSeconds: 100, enabled: ['ewma', 'new-edge'] } },
        runs: [{ name: 'bytes=30000_r1', axisValues: { bytes: 30000 }, repeat: 1, status: 'complete' }],
      });
      const replay = join(dir, 'bytes=30000_r1', 'replay');
      mkdirSync(replay, { recursive: true });
      writeFileSync(join(replay, 'notes.txt'), 'mine\n');

      await replaySweep(dir, { progress: false, detectorAxes: [rateAxis] });
      const first = readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
      assert.deepEqual(first, ['f1-vs-bytes_rate=0.001.png', 'f1-vs-bytes_rate=0.01.png']);
      assert.deepEqual(readdirSync(replay).sort(), ['notes.txt', 'rate=0.001', 'rate=0.01']);

      await replaySweep(dir, { progress: false });
      assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.png')).sort(), ['f1-vs-bytes_k=2.png', 'f1-vs-bytes_k=3.png']);
      assert.deepEqual(readdirSync(replay).sort(), ['k=2', 'k=3', 'notes.txt']);
      const comparison = JSON.parse(readFileSync(join(dir, 'comparison.json'), 'utf8')) as { replays: { variant: string }[] };
      assert.deepEqual(comparison.replays.map((r) => r.variant).sort(), ['k=2', 'k=3']);
      assert.match(log.text(), /removed what an earlier replay of the sweep wrote and this one did not: .*f1-vs-bytes_rate=0\.01\.png.*bytes=30000_r1\/replay\/rate=0\.01/);
      assert.ok(existsSync(join(replay, 'k=2', 'summary.json')));

      // A folder left by a replay from before this fix (or one whose comparison.json is gone):
      // the dashboard lists and ranks only the variants comparison.json lists.
      cpSync(join(replay, 'k=2'), join(replay, 'rate=0.01'), { recursive: true });
      assert.deepEqual(await replayVariants(join(dir, 'bytes=30000_r1')), ['k=2', 'k=3']);
      const listed = await readListedFiles(join(dir, 'bytes=30000_r1'));
      assert.deepEqual(listed.variants, ['k=2', 'k=3']);
      assert.ok(['k=2', 'k=3'].includes(listed.best?.variant ?? ''), `best in ${listed.best?.variant}`);
      // Without a comparison beside the run, every replay folder is its own.
      rmSync(join(dir, 'comparison.json'));
      assert.deepEqual(await replayVariants(join(dir, 'bytes=30000_r1')), ['k=2', 'k=3', 'rate=0.01']);
    } finally {
      log.restore();
      tmp.remove();
    }
  });
});
