import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.ts';
import { importCsv } from '../../src/import/index.ts';
import { makeTempDir } from '../util.ts';

// Bug: import csv checked traffic.csv against intervals.csv (traffic in a gap, a t that is no
// interval) only once intervals.csv had no other problem, and without line numbers: a user
// fixed intervals.csv, reran, and only then heard of traffic.csv's rows, with no line to find
// them by (README: every bad row is reported with its line number at once).
it('the checks between traffic.csv and intervals.csv name their lines and come with the other problems', async () => {
  const tmp = makeTempDir();
  try {
    const traffic = join(tmp.dir, 'traffic.csv');
    const intervals = join(tmp.dir, 'intervals.csv');
    writeFileSync(traffic, 't,src,dst,metric,value\n1700000005,a,b,requests,10\n1700000010,a,b,requests,4\n1700000012,a,b,requests,4\n');
    // Line 3 is a gap (traffic.csv:3 has traffic there); line 4 is bad; 1700000012 (traffic.csv:4) is no interval.
    writeFileSync(intervals, 't,dt,gap\n1700000005,5,false\n1700000010,5,true\n1700000015,5,maybe\n');
    const dir = join(tmp.dir, 'run');
    await assert.rejects(importCsv({ trafficFile: traffic, intervalsFile: intervals, dir, name: 'run' }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      const lines = e.message.split('\n').slice(1).map((l) => l.trim().replaceAll(tmp.dir + '/', ''));
      assert.deepEqual(lines, [
        'intervals.csv:4: gap: expected true or false (got "maybe")',
        'traffic.csv:3: t = 1700000010 has traffic, but intervals.csv:3 marks that interval as a gap',
        'traffic.csv:4: t = 1700000012 is not an interval of intervals.csv',
      ]);
      assert.match(e.message, /^cannot import: 3 problems:/);
      return true;
    });
    assert.equal(existsSync(join(dir, 'run.json')), false);
  } finally {
    tmp.remove();
  }
});

it("a traffic t whose own intervals.csv row is bad is said once, on that row", async () => {
  const tmp = makeTempDir();
  try {
    const traffic = join(tmp.dir, 'traffic.csv');
    const intervals = join(tmp.dir, 'intervals.csv');
    writeFileSync(traffic, 't,src,dst,metric,value\n1700000005,a,b,requests,10\n1700000010,a,b,requests,4\n');
    writeFileSync(intervals, 't,dt,gap\n1700000005,5,false\n1700000010,5,maybe\n');
    await assert.rejects(importCsv({ trafficFile: traffic, intervalsFile: intervals, dir: join(tmp.dir, 'run'), name: 'run' }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message.split('\n').length, 2, e.message);
      assert.match(e.message, /intervals\.csv:3: gap: expected true or false \(got "maybe"\)/);
      return true;
    });
  } finally {
    tmp.remove();
  }
});
