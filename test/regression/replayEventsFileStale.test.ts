import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay, StagedOutput } from '../../src/replay/index.ts';
import { loadReportInputs } from '../../src/report/loadReportInputs.ts';
import { makeTempDir, writeRunFiles } from '../util.ts';

// Bug: a replay scored against another ground truth (--events, or --inject) wrote
// replay/events.ndjson; a later plain replay did not write one, and the swap that puts the new
// outputs in place carried the old file over as if it were a user's file. replay/ then held
// the summary of one ground truth beside the events of another, and the report
// (loadReportInputs, writeReport) preferred the stale file. Now events.ndjson is one of the
// replay's outputs: replaced, or removed, with the rest.
const BASE = 1_800_000_000;

it('a plain replay after one with --events leaves no stale replay/events.ndjson', async () => {
  const tmp = makeTempDir('munnin-stale-events-');
  try {
    let snapshots = '';
    for (let i = 1; i <= 20; i++) snapshots += `${JSON.stringify({ t: BASE + i, dt: 1, edges: [{ src: 'a', dst: 'b', request_bytes: 100 }] })}\n`;
    const own = { kind: 'exfiltration', start: BASE + 12, end: BASE + 14, bytes: 7 };
    const dir = writeRunFiles(join(tmp.dir, 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['request_bytes'] }, snapshots, events: `${JSON.stringify(own)}\n` });
    const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 5 } }).detectors;
    const out = join(dir, 'replay');
    const replay = async (events?: object[]) => {
      const staged = StagedOutput.begin(out);
      try {
        await runReplay(dir, { outDir: staged.dir, detectors, events: events as never });
        staged.commit();
      } finally {
        staged.discard();
      }
    };

    const other = { kind: 'exfiltration', start: BASE + 6, end: BASE + 8, bytes: 9 };
    await replay([other]);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'events.ndjson'), 'utf8')), other, 'the --events ground truth is kept with its results');

    await replay();
    assert.equal(existsSync(join(out, 'events.ndjson')), false, 'the run is its own ground truth again: no replay/events.ndjson');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.deepEqual(summary.attacks, [own]);
    const inputs = await loadReportInputs(dir, out);
    assert.deepEqual(inputs.events, [own], 'the report reads the ground truth the summary was scored against');
  } finally {
    tmp.remove();
  }
});
