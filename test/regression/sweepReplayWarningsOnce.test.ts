import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { replaySweep } from '../../src/sweep/index.ts';
import { writeFixtureSweepFolder } from '../sweep/fixtureSweepFolder.ts';
import { captureLog, makeTempDir } from '../util.ts';

// Bug: a sweep replay (`npm run replay -- <sweep folder>`) repeated a warning its replays share
// (a detector that never set a threshold) once per replayed variant, where a folder
// replay says it once and, at the end, how many more times it came. The sweep replay now goes
// through the same mechanism (warnOncePerMessage, src/replay/).

describe('a sweep replay', { timeout: 120_000 }, () => {
  it('says a warning its replays share once, and at the end how many more times it came', async () => {
    const tmp = makeTempDir('munnin-sweep-warnings-');
    const log = captureLog();
    try {
      const dir = join(tmp.dir, 'mysweep');
      // No training: pca-subspace fits no subspace and never sets a threshold, in each of the
      // three variants alike (the shrinkage they differ in applies to a fit never made).
      writeFixtureSweepFolder(dir, {
        name: 'mysweep',
        axes: [{ name: 'shrinkage', path: 'detectors.options.pca-subspace.shrinkage', side: 'detector', values: [0, 0.1, 0.2] }],
        base: { detectors: { trainingSeconds: 0, enabled: ['pca-subspace'] } },
        runs: [{ name: 'r1', axisValues: {}, repeat: 1, status: 'complete' }],
      });
      await replaySweep(dir, { progress: false });
    } finally {
      log.restore();
      tmp.remove();
    }
    const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    const noThreshold = warnings.filter((m) => m.startsWith('pca-subspace: never set a threshold: none of the 69 scored interval(s) had one'));
    const noFit = warnings.filter((m) => m.startsWith('pca-subspace: 0 training interval(s), need at least 2'));
    assert.equal(noThreshold.length, 1, warnings.join('\n'));
    assert.equal(noFit.length, 1, warnings.join('\n'));
    // Three replays (one run × three variants): each warning once, then "2 more".
    assert.deepEqual(warnings.filter((m) => /more time\(s\)/.test(m)), [`2 more time(s) in this sweep's replays: ${noFit[0]}`, `2 more time(s) in this sweep's replays: ${noThreshold[0]}`]);
  });
});
