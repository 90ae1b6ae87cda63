import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importMain } from '../../src/cli/import.ts';
import { UserError } from '../../src/errors.ts';
import { importCsv } from '../../src/import/index.ts';
import { makeTempDir, writeRunFiles } from '../util.ts';

const quiet = () => {};

// Bug: traffic.csv values went through Number(), so `0x10` was read as 16 and `0b11` as 3
// (and intervals.csv's t and dt the same way): a typing or tooling mistake became traffic.
// Now numbers must be decimal, and any other is a bad row with its line.
it('import csv refuses hexadecimal, binary and octal numbers, row by row', async () => {
  const tmp = makeTempDir();
  try {
    const file = join(tmp.dir, 'traffic.csv');
    writeFileSync(file, 't,src,dst,metric,value\n10,a,b,requests,0x10\n20,a,b,requests,0b11\n0o36,a,b,requests,1\n40,a,b,requests,1.5e3\n');
    const dir = join(tmp.dir, 'run');
    await assert.rejects(importCsv({ trafficFile: file, intervalSeconds: 10, dir, name: 'run' }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /3 problems/);
      assert.match(e.message, /traffic\.csv:2: value: expected a non-negative decimal number \(got "0x10"\)/);
      assert.match(e.message, /traffic\.csv:3: value: expected a non-negative decimal number \(got "0b11"\)/);
      assert.match(e.message, /traffic\.csv:4: t: expected Unix seconds \(got "0o36"\)/);
      return true;
    });
    assert.equal(existsSync(join(dir, 'run.json')), false);
    const intervals = join(tmp.dir, 'intervals.csv');
    writeFileSync(intervals, 't,dt,gap\n10,0xA,false\n');
    await assert.rejects(importCsv({ trafficFile: file, intervalsFile: intervals, dir, name: 'run' }), /intervals\.csv:2: dt: expected a positive number of seconds \(got "0xA"\)/);
  } finally {
    tmp.remove();
  }
});

// Bug: with --out naming a folder that holds a run, the error said "choose another --name",
// though --name does not change where --out writes.
it('an existing run at --out asks for another --out', async () => {
  const tmp = makeTempDir();
  try {
    const file = join(tmp.dir, 'traffic.csv');
    writeFileSync(file, 't,src,dst,metric,value\n10,a,b,requests,5\n');
    const dir = writeRunFiles(join(tmp.dir, 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 2, metrics: ['requests'] } });
    await assert.rejects(importMain(['csv', file, '--interval', '2', '--out', dir, '--name', 'other', '--quiet'], quiet), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `--out: ${dir} holds a run already (choose another --out; an existing run is never overwritten)`);
      return true;
    });
  } finally {
    tmp.remove();
  }
});

// Bug: `import csv <a folder>` said "a run's h1 must be a file", as if h1 were part of a run.
// Now it says the argument is a folder and names the traffic.csv inside when there is one.
it('import csv on a folder says so and points at its traffic.csv', async () => {
  const tmp = makeTempDir();
  try {
    const folder = join(tmp.dir, 'h1');
    mkdirSync(folder);
    writeFileSync(join(folder, 'traffic.csv'), 't,src,dst,metric,value\n10,a,b,requests,5\n');
    await assert.rejects(importMain(['csv', folder, '--quiet'], quiet), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `${folder} is a folder: import csv takes the traffic.csv file itself (${join(folder, 'traffic.csv')}?)`);
      return true;
    });
  } finally {
    tmp.remove();
  }
});
