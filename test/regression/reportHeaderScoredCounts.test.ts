import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { writeReport } from '../../src/report/index.ts';
import { makeTempDir, writeRunFiles } from '../util.ts';

// Bug: report.html's header counted attack and grace intervals over the whole run, training
// included ("3 attack intervals, 2 grace"), while the terminal and summary.json count the
// scored ones ("2 attack intervals, 1 grace"): two answers to one question. Now the header
// gives summary.json's counts and says how many more lie where nothing was scored.
const BASE = 1_800_000_000;

it("the report header counts attack and grace intervals as summary.json does, and names those in training", async () => {
  const tmp = makeTempDir('munnin-report-counts-');
  try {
    // 30 intervals of 1 s, (BASE, BASE + 30]; the first 10 s train.
    let snapshots = '';
    for (let i = 1; i <= 30; i++) snapshots += `${JSON.stringify({ t: BASE + i, dt: 1, edges: [{ src: 'a', dst: 'b', response_bytes: 1000 + (i % 3) }] })}\n`;
    // In training: attack intervals (3, 4] and (4, 5], grace (5, 6]. Scored: attack intervals
    // (20, 21] and (21, 22], grace (22, 23].
    const events = [
      { kind: 'exfiltration', start: BASE + 3, end: BASE + 5 },
      { kind: 'exfiltration', start: BASE + 20, end: BASE + 22 },
    ];
    const runDir = writeRunFiles(join(tmp.dir, 'run'), {
      manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['response_bytes'] },
      snapshots,
      events: events.map((e) => `${JSON.stringify(e)}\n`).join(''),
    });
    const replayDir = join(runDir, 'replay');
    const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 10 } }).detectors;
    const { summary } = await runReplay(runDir, { outDir: replayDir, detectors });
    assert.deepEqual([summary.attackIntervals, summary.graceIntervals], [2, 1], 'summary.json: the scored ones');
    await writeReport({ runDir, replayDir, progress: false });
    const page = readFileSync(join(replayDir, 'report.html'), 'utf8');
    const row = /<th scope="row">intervals<\/th><td>([^<]*)<\/td>/.exec(page)?.[1];
    assert.equal(row, '30 of 1 s (0 gaps, 2 attack intervals, 1 grace scored; 2 more attack interval(s) and 1 grace in training or gaps, not scored)');
  } finally {
    tmp.remove();
  }
});
