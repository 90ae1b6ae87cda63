import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sockShopTierOf } from '../../src/detectors/three-tier/tierSeries.ts';
import { importCsv } from '../../src/import/index.ts';
import { edgeVolume } from '../../src/report/edgeVolumes.ts';
import { trafficTable } from '../../src/report/exportTables.ts';
import { snapshotToLine } from '../../src/store/index.ts';
import type { RunManifest, Snapshot } from '../../src/types.ts';
import { makeTempDir, readRunBack, writeRunFiles } from '../util.ts';

// Bug: metric names `constructor`, `toString`, `__proto__` (valid: "writers may add other
// metric keys; they must list them in metrics") met Object.prototype. The reader took
// `edge.constructor` (a function) for a bad value and kept every line as a gap, `__proto__`
// values were dropped (assigning it sets the prototype), import lost them and export wrote NaN.

const METRICS = ['requests', 'constructor', 'toString', '__proto__'];

/** An edge's values as entries, own properties only, in key order. */
function entries(values: object): [string, unknown][] {
  return Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1));
}

it('snapshots with metrics named like Object.prototype members are read whole, by both parsers', async () => {
  const tmp = makeTempDir();
  try {
    const edge = '{"src":"a","dst":"b","requests":5,"__proto__":7}';
    // Line 1 takes the fast parser; line 2 (an unknown top-level field, which readers ignore) the general path.
    const snapshots = [`{"t":5,"dt":5,"edges":[${edge}]}`, `{"t":10,"dt":5,"reporter":"x","edges":[${edge},{"src":"b","dst":"c","constructor":3}]}`].join('\n') + '\n';
    const dir = writeRunFiles(join(tmp.dir, 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 5, metrics: METRICS }, snapshots });
    const run = await readRunBack(dir);
    assert.deepEqual(run.snapshots.map((s) => s.gap), [false, false]);
    for (const s of run.snapshots) assert.deepEqual(entries(s.edges[0]!.values), [['__proto__', 7], ['requests', 5]], `t = ${s.t}`);
    assert.deepEqual(entries(run.snapshots[1]!.edges[1]!.values), [['constructor', 3]]);
    // No edge carries toString: it is 0, not a function.
    assert.equal(edgeVolume(run.snapshots[0]!.edges[0]!, ['toString', 'constructor', '__proto__']), 7);
  } finally {
    tmp.remove();
  }
});

it('a __proto__ metric is written, exported and imported as a value', async () => {
  const values: Record<string, number> = { requests: 10 };
  Object.defineProperty(values, '__proto__', { value: 7, enumerable: true, writable: true, configurable: true });
  const s: Snapshot = { t: 5, dt: 5, gap: false, edges: [{ src: 'a', dst: 'b', values }] };
  assert.equal(snapshotToLine(s), '{"t":5,"dt":5,"edges":[{"src":"a","dst":"b","requests":10,"__proto__":7}]}');
  const run: RunManifest = { format: 'munnin-run/1', intervalSeconds: 5, metrics: ['requests', '__proto__', 'constructor'] };
  const table = trafficTable(run, [s]).objects() as { metric: string; value: number }[];
  assert.deepEqual(table.map((r) => [r.metric, r.value]), [['requests', 10], ['__proto__', 7], ['constructor', 0]]);

  const tmp = makeTempDir();
  try {
    const file = join(tmp.dir, 'traffic.csv');
    writeFileSync(file, 't,src,dst,metric,value\n5,a,b,requests,10\n5,a,b,__proto__,7\n5,a,b,constructor,2\n');
    await importCsv({ trafficFile: file, intervalSeconds: 5, dir: join(tmp.dir, 'run'), name: 'run' });
    const line = readFileSync(join(tmp.dir, 'run', 'snapshots.ndjson'), 'utf8').trim();
    assert.deepEqual(JSON.parse(line).edges, [JSON.parse('{"src":"a","dst":"b","requests":10,"__proto__":7,"constructor":2}')]);
  } finally {
    tmp.remove();
  }
});

it("three-tier places a node named constructor by the default rules, not by Object.prototype's member", () => {
  const tierOf = sockShopTierOf({});
  assert.equal(tierOf('constructor'), 'application');
  assert.equal(tierOf('toString'), 'application');
});
