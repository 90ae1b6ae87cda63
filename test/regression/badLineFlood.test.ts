import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readEvents, readSnapshots } from '../../src/store/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug: a run whose lines are bad printed one warning per line: 20,000 bad lines, 20,000
// warnings, burying everything else. Now the first 10 of a file are printed, then one line
// with their count and the file; the count reaches the caller (replay's summary.json).
it('20,000 bad lines print 10 warnings and one count, and every one is counted', async () => {
  const tmp = makeTempDir('munnin-bad-flood-');
  const log = captureLog();
  try {
    const good = (t: number) => JSON.stringify({ t, dt: 1, edges: [{ src: 'a', dst: 'b', requests: 1 }] });
    const bad = '{"t": "later", "dt": 1, "edges": []}';
    const dir = writeRunFiles(join(tmp.dir, 'run'), {
      manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['requests'] },
      snapshots: `${good(1)}\n${`${bad}\n`.repeat(20_000)}${good(2)}\n`,
      events: `${'{"kind": 7}\n'.repeat(20_000)}`,
    });
    let snapshotsBad = -1;
    let eventsBad = -1;
    const read: number[] = [];
    for await (const s of readSnapshots(dir, ['requests'], { onBadLines: (n) => (snapshotsBad = n) })) read.push(s.t);
    await readEvents(dir, { onBadLines: (n) => (eventsBad = n) });
    assert.deepEqual(read, [1, 2]);
    assert.equal(snapshotsBad, 20_000);
    assert.equal(eventsBad, 20_000);
    const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    const ofFile = (name: string) => warnings.filter((w) => w.includes(name));
    assert.equal(ofFile('snapshots.ndjson').length, 11);
    assert.match(ofFile('snapshots.ndjson')[0]!, /snapshots\.ndjson:2: /);
    assert.match(ofFile('snapshots.ndjson')[10]!, /snapshots\.ndjson: 20000 bad lines in all \(the first 10 shown above\)$/);
    assert.equal(ofFile('events.ndjson').length, 11);
    assert.match(ofFile('events.ndjson')[10]!, /events\.ndjson: 20000 bad lines in all \(the first 10 shown above\)$/);
  } finally {
    log.restore();
    tmp.remove();
  }
});
