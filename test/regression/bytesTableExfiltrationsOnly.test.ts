// Bug (tester G, defect 8): the folder comparison's table "by exfiltrated bytes" counted scans
// and lateral movements as exfiltrations of size `unknown` (an `unknown` row with their events
// and intervals), so a reader took them for exfiltrations whose size was not recorded. The
// table is now for exfiltrations only; the other attacks stay in the pooled table and the
// line under the table says how many of each kind were left out of it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { formatRunsComparison } from '../../src/evaluation/index.ts';
import { replayFolder, writeSyntheticRun, type FolderReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir, readJson } from '../util.ts';

const tmp = makeTempDir('munnin-bytes-exfiltrations-');
after(() => tmp.remove());
const detectors = resolveParameters({ detectors: { trainingSeconds: 100, enabled: ['ewma', 'new-edge'] } }).detectors;

/** A synthetic run of three attacks, the i-th rewritten by `fields(i)`. */
function run(dir: string, seed: number, fields: (i: number) => object): void {
  writeSyntheticRun(dir, { services: 6, edgesPerService: 3, intervals: 120, exfiltrations: 3, seed });
  const file = join(dir, 'events.ndjson');
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l, i) => {
    const { bytes: _bytes, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return JSON.stringify({ ...rest, ...fields(i) });
  });
  writeFileSync(file, `${lines.join('\n')}\n`);
}

describe('the comparison by exfiltrated bytes', () => {
  const folder = join(tmp.dir, 'runs');
  let result: FolderReplay;

  before(async () => {
    run(join(folder, 'exfiltrations'), 3, () => ({ bytes: 30_000 }));
    // One exfiltration of 60 kB, a scan and a lateral movement (neither has a size).
    run(join(folder, 'mixed'), 4, (i) => [{ bytes: 60_000 }, { kind: 'scan', path: ['user', '*'] }, { kind: 'lateral', path: ['user', 'orders-db'] }][i]!);
    const log = captureLog();
    result = await replayFolder(folder, { detectors, progress: false }).finally(() => log.restore());
  });

  it('has a row per exfiltration size and none for the scan and the lateral movement', () => {
    const rows = result.comparison.byBytes;
    assert.deepEqual(rows.map((r) => [r.label, r.runs]), [['30000', ['exfiltrations']], ['60000', ['mixed']]]);
    const s = readJson(folder, 'mixed', 'replay', 'summary.json');
    assert.deepEqual(s.attacks.map((a: { kind: string }) => a.kind).sort(), ['exfiltration', 'lateral', 'scan']);
    for (const d of detectors.enabled) {
      // The 60 kB row holds the one exfiltration; the pooled figures still count all three attacks of the run.
      const scoredEvents = s.detectors[d].events.total;
      assert.equal(rows[1]!.detectors[d]!.events, 1, d);
      assert.equal(result.comparison.pooled[d]!.events, scoredEvents + readJson(folder, 'exfiltrations', 'replay', 'summary.json').detectors[d].events.total, d);
    }
    assert.deepEqual(result.comparison.byBytesLeftOut, { scan: 1, lateral: 1 });
  });

  it('says which attacks it leaves out', () => {
    const text = formatRunsComparison(result.comparison, 2);
    assert.match(text, /\nnot in this table, which is for exfiltrations \(the pooled table counts them\): 1 scan, 1 lateral movement\n/);
    assert.doesNotMatch(text, /^unknown /m);
    assert.doesNotMatch(readFileSync(join(folder, 'comparison.csv'), 'utf8'), /^bytes,,unknown,/m);
  });
});
