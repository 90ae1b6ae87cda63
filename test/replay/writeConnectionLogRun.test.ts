import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeConnectionLogRun } from '../../src/replay/index.ts';
import { readManifest, readSnapshots } from '../../src/store/index.ts';
import { makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-connlog-');
after(() => tmp.remove());

it('writes a run shaped like a converted connection log: counts only, ~100 edges an interval, ever more hosts', async () => {
  const dir = join(tmp.dir, 'run');
  const intervals = 400;
  const run = writeConnectionLogRun(dir, { intervals, nodes: 5_000, edgesPerInterval: 100 });
  assert.equal(run.intervals, intervals);
  const manifest = await readManifest(dir);
  assert.deepEqual(manifest.metrics, ['requests']);
  assert.equal(manifest.intervalSeconds, 60);
  const seenByQuarter: number[] = [];
  const hosts = new Set<string>();
  let count = 0;
  let edgeTotal = 0;
  for await (const s of readSnapshots(dir, manifest.metrics)) {
    assert.equal(s.dt, 60);
    assert.equal(s.gap, false, 'no gaps in a synthetic log');
    const pairs = new Set<string>();
    for (const e of s.edges) {
      assert.deepEqual(Object.keys(e.values), ['requests']);
      const requests = e.values.requests ?? 0;
      assert.ok(Number.isInteger(requests) && requests >= 1, `counts are whole and positive: ${requests}`);
      assert.ok(/^h-\d+$/.test(e.src) && (/^h-\d+$/.test(e.dst) || e.dst === 'external'), `${e.src} → ${e.dst}`);
      assert.ok(Number(e.src.slice(2)) < 5_000);
      assert.ok(!pairs.has(`${e.src}>${e.dst}`), 'each pair once per interval');
      pairs.add(`${e.src}>${e.dst}`);
      hosts.add(e.src).add(e.dst);
    }
    edgeTotal += s.edges.length;
    count++;
    if (count % (intervals / 4) === 0) seenByQuarter.push(hosts.size);
  }
  assert.equal(count, intervals);
  // ±10 % spread of the count, minus the odd duplicate pair dropped.
  const mean = edgeTotal / intervals;
  assert.ok(mean > 85 && mean < 105, `mean edges per interval ${mean}`);
  for (let q = 1; q < 4; q++) assert.ok(seenByQuarter[q]! > seenByQuarter[q - 1]!, `hosts keep appearing: ${seenByQuarter.join(', ')}`);
  const events = readFileSync(join(dir, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; start: number; end: number; path: string[] });
  assert.equal(events.length, 3);
  for (const e of events) {
    assert.equal(e.kind, 'exfiltration');
    assert.equal(e.end - e.start, 180, 'three one-minute intervals');
    assert.equal(e.path.at(-1), 'external');
  }
});
