import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importMain } from '../../src/cli/import.ts';
import { UserError } from '../../src/errors.ts';
import { makeTempDir } from '../util.ts';

const quiet = () => {};

// Bug: `import csv traffic.csv --interval 10` with an intervals.csv beside it ignored the
// flag for the intervals (every dt came from intervals.csv, 5 s) yet wrote intervalSeconds
// 10 into run.json. Now --interval with intervals.csv is a flag problem, listed with the others.
it('--interval with intervals.csv (found beside or given) is a flag problem, listed with the others', async () => {
  const tmp = makeTempDir();
  try {
    const traffic = join(tmp.dir, 'traffic.csv');
    const intervals = join(tmp.dir, 'intervals.csv');
    writeFileSync(traffic, 't,src,dst,metric,value\n5,a,b,requests,1\n10,a,b,requests,2\n');
    writeFileSync(intervals, 't,dt,gap\n5,5,false\n10,5,false\n');
    const out = join(tmp.dir, 'run');
    await assert.rejects(importMain(['csv', traffic, '--interval', '10', '--name', 'a b', '--out', out, '--quiet'], quiet), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /2 problems with the command line/);
      assert.match(e.message, /--name: letters, digits/);
      assert.ok(e.message.includes(`--interval goes without intervals.csv; ${intervals}, found beside traffic.csv, gives every interval's t and dt: leave --interval out`), e.message);
      return true;
    });
    await assert.rejects(importMain(['csv', traffic, '--intervals', intervals, '--interval', '10', '--out', out, '--quiet'], quiet), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.ok(e.message.includes(`--interval goes without intervals.csv; ${intervals} gives every interval's t and dt`), e.message);
      return true;
    });
    assert.equal(existsSync(join(out, 'run.json')), false);
    // Without the flag the run's interval is intervals.csv's.
    assert.equal(await importMain(['csv', traffic, '--out', out, '--quiet'], quiet), 0);
  } finally {
    tmp.remove();
  }
});
