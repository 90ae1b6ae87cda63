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
// Now the interval (given, or the most common step) is a grid from the first t, and every t
// off it is a bad row, reported with its line, nothing written.

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
      // Grid from 10 every 20: 10, 30, 50. 20 (line 3) and 40 (line 5) are off it.
      const file = trafficAt(tmp.dir, [10, 20, 30, 40, 50]);
      const message = await refused(file, join(tmp.dir, 'run'), 20);
      assert.match(message, /2 problems/);
      assert.match(message, /traffic\.csv:3: t: 20 is not on the 20 s grid from 10 \(nearest 10 and 30\)/);
      assert.match(message, /traffic\.csv:5: t: 40 is not on the 20 s grid from 10 \(nearest 30 and 50\)/);
      assert.match(message, /here of --interval 20 s/);
    } finally {
      tmp.remove();
    }
  });

  it('--interval 7 on rows every 10 s is refused too', async () => {
    const tmp = makeTempDir();
    try {
      // Grid 10, 17, 24, 31: 20 (line 3) lies between 17 and 24, 30 (line 4) between 24 and 31.
      const message = await refused(trafficAt(tmp.dir, [10, 20, 30]), join(tmp.dir, 'run'), 7);
      assert.match(message, /traffic\.csv:3: t: 20 is not on the 7 s grid from 10 \(nearest 17 and 24\)/);
      assert.match(message, /traffic\.csv:4: t: 30 is not on the 7 s grid from 10 \(nearest 24 and 31\)/);
    } finally {
      tmp.remove();
    }
  });

  it('without --interval, one row a second late is reported, not taken as a 9-s run', async () => {
    const tmp = makeTempDir();
    try {
      // Steps 10, 10, 11, 9, 10: the most common is 10, and 41 (line 5) is off that grid.
      const message = await refused(trafficAt(tmp.dir, [10, 20, 30, 41, 50, 60]), join(tmp.dir, 'run'), undefined);
      assert.match(message, /1 problem:/);
      assert.match(message, /traffic\.csv:5: t: 41 is not on the 10 s grid from 10 \(nearest 40 and 50\)/);
      assert.match(message, /the interval, 10 s, is the most common step between two t: give --interval/);
    } finally {
      tmp.remove();
    }
  });

  it('without --interval, the most common step is the interval and a missing grid point is silent', async () => {
    const tmp = makeTempDir();
    try {
      // Steps 10, 20, 10: interval 10; 30 has no row, so it is a silent interval of its own.
      const notes: string[] = [];
      const result = await importCsv({ trafficFile: trafficAt(tmp.dir, [10, 20, 40, 50]), dir: join(tmp.dir, 'run'), name: 'run', note: (m) => notes.push(m) });
      const back = await readRunBack(result.dir);
      assert.equal(back.manifest.intervalSeconds, 10);
      assert.deepEqual(back.snapshots.map((s) => [s.t, s.dt, s.edges.length]), [[10, 10, 1], [20, 10, 1], [30, 10, 0], [40, 10, 1], [50, 10, 1]]);
      assert.match(notes.join('\n'), /interval: 10 s, the most common step/);
      assert.match(notes.join('\n'), /1 intervals without rows were taken as silent/);
    } finally {
      tmp.remove();
    }
  });

  it('a t within a millisecond of its grid point is on the grid', async () => {
    const tmp = makeTempDir();
    try {
      const result = await importCsv({ trafficFile: trafficAt(tmp.dir, [10, 20.0005, 30]), intervalSeconds: 10, dir: join(tmp.dir, 'run'), name: 'run' });
      assert.equal(result.intervals, 3);
    } finally {
      tmp.remove();
    }
  });
});
