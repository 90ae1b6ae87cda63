// Bug: `import csv --interval 0` was checked only inside importCsv, after the whole CSV was
// read, alone (not with the command line's other mistakes), not at all when rows were bad,
// and its message named --interval even when the interval had been inferred from t values
// closer than 1 ms. Now --interval > 0 is checked where it enters, with the other flags, and
// importCsv says only that the t are too close when an inferred step rounds to 0.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseImportArgs } from '../../src/cli/importFlags.ts';
import { UserError } from '../../src/errors.ts';
import { importCsv } from '../../src/import/index.ts';
import { makeTempDir } from '../util.ts';

it('--interval ≤ 0 is a flag problem listed with the others; t closer than 1 ms are named as such', async () => {
  const tmp = makeTempDir();
  try {
    const file = join(tmp.dir, 'traffic.csv');
    writeFileSync(file, 't,src,dst,metric,value\n10,a,b,requests,1\n10.0002,a,b,requests,1\n10.0004,a,b,requests,1\n');
    for (const bad of ['0', '-5']) {
      assert.throws(
        () => parseImportArgs(['csv', file, '--interval', bad, '--name', 'a b'], 0),
        (e: unknown) => e instanceof UserError && /^2 problems/.test(e.message) && e.message.includes(`--interval: expected a positive number of seconds (got ${bad})`) && e.message.includes('--name: letters'),
      );
    }
    // Steps of 0.2 ms round to 0: no interval, and no --interval was given.
    await assert.rejects(importCsv({ trafficFile: file, dir: join(tmp.dir, 'run'), name: 'run' }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `${file}: t values closer than 1 ms: no interval can be inferred (give --interval, or intervals.csv with every interval's t and dt)`);
      return true;
    });
  } finally {
    tmp.remove();
  }
});
