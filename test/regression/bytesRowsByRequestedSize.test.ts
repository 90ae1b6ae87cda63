import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { replayFolder, writeSyntheticRun, type FolderReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir, readJson } from '../util.ts';

// Bug: the folder comparison's table "by exfiltrated bytes" grouped attacks by the bytes they
// moved, so the default experiment's two attacks asked as 400 kB (events' requestedBytes
// 400000; bytes 401948 and 404936) became two one-event rows, each counting the run's false
// alarms again, and tpr-by-bytes.png drew a "curve" between them. Rows now follow
// requestedBytes when the events carry it (munnin's experiments write it), else bytes.

const tmp = makeTempDir('munnin-requested-bytes-');
after(() => tmp.remove());
const detectors = resolveParameters({ detectors: { trainingSeconds: 100, enabled: ['ewma', 'cusum'] } }).detectors;

/** A synthetic run whose attack events get `fields(i)` (the i-th attack's). */
function run(dir: string, seed: number, exfiltrations: number, fields: (i: number) => object): void {
  writeSyntheticRun(dir, { services: 6, edgesPerService: 3, intervals: 100, exfiltrations, seed });
  const file = join(dir, 'events.ndjson');
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l, i) => JSON.stringify({ ...JSON.parse(l), ...fields(i) }));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

describe('rows by exfiltrated bytes', () => {
  const folder = join(tmp.dir, 'runs');
  let result: FolderReplay;

  before(async () => {
    const moved = [401_948, 404_936];
    run(join(folder, 'asked-400k'), 3, 2, (i) => ({ bytes: moved[i], requestedBytes: 400_000 }));
    run(join(folder, 'plain-30k'), 4, 2, () => ({ bytes: 30_000 }));
    const log = captureLog();
    result = await replayFolder(folder, { detectors, progress: false }).finally(() => log.restore());
  });

  it('group attacks by requestedBytes when the events carry it, else by bytes', () => {
    const rows = result.comparison.byBytes;
    assert.deepEqual(rows.map((r) => [r.label, r.runs]), [['30000', ['plain-30k']], ['400000', ['asked-400k']]]);
    const s = readJson(folder, 'asked-400k', 'replay', 'summary.json');
    for (const d of detectors.enabled) {
      const row = rows[1]!.detectors[d]!;
      // Both attacks in one row, the run's false alarms and benign intervals counted once.
      assert.deepEqual([row.events, row.caught, row.falseAlarms, row.benignIntervals, row.attackIntervals], [s.detectors[d].events.total, s.detectors[d].events.detected, s.detectors[d].fp, s.detectors[d].fp + s.detectors[d].tn, s.attackIntervals], d);
      assert.equal(s.detectors[d].events.total, 2, `${d}: both attacks scored`);
    }
    const csv = readFileSync(join(folder, 'comparison.csv'), 'utf8');
    assert.match(csv, /^bytes,400000,,ewma,/m);
    assert.doesNotMatch(csv, /^bytes,40(1948|4936),/m);
  });
});
