import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.ts';
import { readSweepIndex } from '../../src/sweep/sweepIndex.ts';
import { makeTempDir } from '../util.ts';

// Bug: a sweep.json without a required field was refused with zod's raw words under a name
// that read like a file, `sweep.json.updatedAt: Invalid input: expected string, received
// undefined (got nothing)`, and the README did not say which fields are required.
it('a sweep.json missing required fields names the file and each field in plain words', () => {
  const tmp = makeTempDir();
  try {
    const index = {
      format: 'munnin-sweep/1',
      name: 'exfil-size',
      createdAt: '2026-11-21T04:00:00.000Z',
      repeats: 1,
      axes: [{ name: 'bytes', path: 'exfiltration[*].bytes', side: 'experiment', values: [20000] }],
      base: {},
      runs: [{ name: 'bytes=20000_r1', axisValues: { bytes: 20000 }, repeat: 1 }],
    };
    writeFileSync(join(tmp.dir, 'sweep.json'), JSON.stringify(index));
    assert.throws(
      () => readSweepIndex(tmp.dir),
      (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.equal(
          e.message,
          `${join(tmp.dir, 'sweep.json')}: not a valid munnin-sweep/1 index:\n` +
            '  updatedAt: missing (expected a string)\n' +
            '  runs[0].status: missing (expected one of "pending"|"running"|"complete"|"interrupted"|"failed")',
        );
        return true;
      },
    );
  } finally {
    tmp.remove();
  }
});
