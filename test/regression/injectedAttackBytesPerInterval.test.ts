import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug: the "largest attack" of a scored interval (its attackBytes, by which compareRuns sorts
// intervals into exfiltration-size rows) was chosen by the bytes asked while the replay ran,
// then read back with the bytes injected. `--inject 1000@10-100` on a 20-s run asks 90,000 B
// but injects 10,000 B (the run ends at 20 s); `--inject 5000@15-18` asks and injects 15,000 B:
// intervals 16-18, in both, were given 10,000 B. Now each scored interval's bytes are the
// largest among the attacks as settled that it overlaps.
const BASE = 1_800_000_000;

it('an interval in two injected attacks carries the bytes of the one that injected more', async () => {
  const tmp = makeTempDir('munnin-attack-bytes-');
  const log = captureLog();
  try {
    let snapshots = '';
    for (let i = 1; i <= 20; i++) snapshots += `${JSON.stringify({ t: BASE + i, dt: 1, edges: [{ src: 'app', dst: 'db', response_bytes: 1000 + (i % 3) }] })}\n`;
    const dir = writeRunFiles(join(tmp.dir, 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['response_bytes'] }, snapshots, events: '' });
    const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 5 } }).detectors;
    const { summary, scored } = await runReplay(dir, {
      outDir: join(tmp.dir, 'out'),
      detectors,
      injectPath: ['db', 'app'],
      inject: [
        { bytesPerInterval: 1000, at: [{ startSeconds: 10, endSeconds: 100 }] },
        { bytesPerInterval: 5000, at: [{ startSeconds: 15, endSeconds: 18 }] },
      ],
    });
    // 1000 B/s over 10-20 s (cut at the run's end): 10,000 B; 5000 B/s over 15-18 s: 15,000 B.
    assert.deepEqual(summary.attacks.map((a) => [a.start - BASE, a.end - BASE, a.bytes]), [[10, 20, 10_000], [15, 18, 15_000]]);
    // Scored intervals (5, 6] … (19, 20]: benign to 10 s, then (10, 15] and (18, 20] in the
    // first attack only, (15, 18] in both.
    const expected = [0, 0, 0, 0, 0, 10_000, 10_000, 10_000, 10_000, 10_000, 15_000, 15_000, 15_000, 10_000, 10_000];
    assert.deepEqual([...scored.get('ewma')!.attackBytes], expected);
  } finally {
    log.restore();
    tmp.remove();
  }
});
