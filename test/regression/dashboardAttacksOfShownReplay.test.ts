import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { RunCatalog } from '../../src/dashboard/RunCatalog.ts';
import { runReplay, StagedOutput } from '../../src/replay/index.ts';
import { makeTempDir, writeRunFiles } from '../util.ts';

// Bug: the dashboard's "attacks" count (runs list and run page) counted the run's own
// events.ndjson, while the events table and detector summary beside it showed the ground truth
// the replay was scored against (its replay/events.ndjson after `--events`): 5 attacks listed
// above a table of 1. The count now comes from that same ground truth.
const BASE = 1_800_000_000;
const tmp = makeTempDir('munnin-dashboard-attacks-');
after(() => tmp.remove());

it('counts the attacks of the ground truth the shown replay was scored against', async () => {
  let snapshots = '';
  for (let i = 1; i <= 30; i++) snapshots += `${JSON.stringify({ t: BASE + i, dt: 1, edges: [{ src: 'a', dst: 'b', request_bytes: 100 }] })}\n`;
  const own = [12, 16, 20].map((s) => JSON.stringify({ kind: 'exfiltration', start: BASE + s, end: BASE + s + 2, bytes: 7 })).join('\n');
  const dir = writeRunFiles(join(tmp.dir, 'data', 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['request_bytes'], complete: true }, snapshots, events: `${own}\n` });
  const catalog = new RunCatalog(join(tmp.dir, 'data'));
  assert.equal((await catalog.list()).runs[0]!.attacks, 3, 'not replayed: the run’s own three');

  // `--events` with one attack: the replay writes it as replay/events.ndjson.
  const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 5 } }).detectors;
  const staged = StagedOutput.begin(join(dir, 'replay'));
  try {
    await runReplay(dir, { outDir: staged.dir, detectors, events: [{ kind: 'exfiltration', start: BASE + 24, end: BASE + 26, bytes: 9 }] });
    staged.commit();
  } finally {
    staged.discard();
  }

  const [listed] = (await catalog.list()).runs;
  const shown = await catalog.summary('run');
  assert.equal(shown.eventsSource, 'replay');
  assert.equal(shown.events.length, 1);
  assert.equal((shown.replay!['attacks'] as unknown[]).length, 1);
  assert.equal(shown.attacks, 1, 'the run page');
  assert.equal(listed!.attacks, 1, 'the runs list');
});
