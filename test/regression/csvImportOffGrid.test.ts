import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.ts';
import { importCsv } from '../../src/import/index.ts';
import { makeTempDir, readRunBack } from '../util.ts';

// Bug: `import csv` without intervals.csv wrote every t of traffic.csv as an interval of
// --interval seconds whether or not the t were that far apart. Rows every 10 s with
// --interval 20 became intervals 10 s apart, 20 s long (every second counted twice); with
// --interval 7, 7-s intervals every 10 s (3-s holes) plus invented silent ones; and without
// --interval one row 1 s late made the whole run 9-s intervals (the smallest step was taken).
// Now every t must be a whole number of intervals (given, or inferred) after the t before it,
// and every t that is not is a bad row, reported with its line, nothing written.

/** traffic.csv with one row a_b requests = 1 at each t; line numbers are 2, 3, ... in order. */
function trafficAt(dir: string, times: readonly number[]): string {
  const file = join(dir, 'traffic.csv');
  writeFileSync(file, `t,src,dst,metric,value\n${times.map((t) => `${t},a,b,requests,1\n`).join('')}`);
  return file;
}

async function refused(file: string, out: string, intervalSeconds: number | undefined): Promise<string> {
  let message = '';
  await assert.rejects(importCsv({ trafficFile: file, intervalSeconds, dir: out, name: 'run' }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    message = e.message;
    return true;
  });
  assert.equal(existsSync(join(out, 'run.json')), false, 'nothing is written');
  return message;
}

describe('import csv: times off the interval grid', () => {
  it('--interval 20 on rows every 10 s: each t between two grid points is a bad row', async () => {
    const tmp = makeTempDir();
    try {
      // From 10 every 20: 20 (line 3) is half an interval after 10; 30 is one after 10; 40 (line 5) half one after 30.
      const file = trafficAt(tmp.dir, [10, 20, 30, 40, 50]);
      const message = await refused(file, join(tmp.dir, 'run'), 20);
      assert.match(message, /2 problems/);
      assert.match(message, /traffic\.csv:3: t: 20 is not a whole number of 20-s intervals after 10 \(nearest 10 and 30\)/);
      assert.match(message, /traffic\.csv:5: t: 40 is not a whole number of 20-s intervals after 30 \(nearest 30 and 50\)/);
      assert.match(message, /here of --interval 20 s/);
    } finally {
      tmp.remove();
    }
  });

  it('--interval 7 on rows every 10 s is refused too', async () => {
    const tmp = makeTempDir();
    try {
      // From 10 every 7: 17, 24, 31. 20 (line 3) lies between 17 and 24, 30 (line 4) between 24 and 31.
      const message = await refused(trafficAt(tmp.dir, [10, 20, 30]), join(tmp.dir, 'run'), 7);
      assert.match(message, /traffic\.csv:3: t: 20 is not a whole number of 7-s intervals after 10 \(nearest 17 and 24\)/);
      assert.match(message, /traffic\.csv:4: t: 30 is not a whole number of 7-s intervals after 10 \(nearest 24 and 31\)/);
    } finally {
      tmp.remove();
    }
  });

  it('without --interval, one row a second late is reported, not taken as a 9-s run', async () => {
    const tmp = makeTempDir();
    try {
      // Steps 10, 10, 11, 9, 10: none is a whole fraction of all (11 and 9 are 1 s off 10), so the
      // most common, 10; 41 (line 5) is 11 s after 30, and 50 is two intervals after 30.
      const message = await refused(trafficAt(tmp.dir, [10, 20, 30, 41, 50, 60]), join(tmp.dir, 'run'), undefined);
      assert.match(message, /1 problem:/);
      assert.match(message, /traffic\.csv:5: t: 41 is not a whole number of 10-s intervals after 30 \(nearest 40 and 50\)/);
      assert.match(message, /no step between two t divides every other one, so the interval, 10 s, is the most common step: give --interval/);
    } finally {
      tmp.remove();
    }
  });

  it('without --interval, a missing interval is silent', async () => {
    const tmp = makeTempDir();
    try {
      // Steps 10, 20, 10: interval 10 (20 is two); 30 has no row, so it is a silent interval of its own.
      const notes: string[] = [];
      const result = await importCsv({ trafficFile: trafficAt(tmp.dir, [10, 20, 40, 50]), dir: join(tmp.dir, 'run'), name: 'run', note: (m) => notes.push(m) });
      const back = await readRunBack(result.dir);
      assert.equal(back.manifest.intervalSeconds, 10);
      assert.deepEqual(back.snapshots.map((s) => [s.t, s.dt, s.edges.length]), [[10, 10, 1], [20, 10, 1], [30, 10, 0], [40, 10, 1], [50, 10, 1]]);
      assert.match(notes.join('\n'), /interval: 10 s, the shortest step between two t that every step is a whole number of/);
      assert.match(notes.join('\n'), /1 intervals without rows were taken as silent/);
    } finally {
      tmp.remove();
    }
  });

  it('a t within a millisecond of a whole number of intervals fits', async () => {
    const tmp = makeTempDir();
    try {
      const result = await importCsv({ trafficFile: trafficAt(tmp.dir, [10, 20.0005, 30]), intervalSeconds: 10, dir: join(tmp.dir, 'run'), name: 'run' });
      assert.equal(result.intervals, 3);
    } finally {
      tmp.remove();
    }
  });
});
