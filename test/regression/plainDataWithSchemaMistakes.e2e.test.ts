// Bug: `npm run experiment -- --parameters <file>` with mistakes of two kinds, values that are
// not plain data (a Date, a function) and values the schema refuses (durationSeconds "150",
// users 12.5, shape "Normal", thinkTime [4,2], bytes -1), listed only the first kind; the
// others showed on the next try, though the README promises every mistake at once.
// loadParameters refused the plain-data ones before the schema was ever run. It now runs the
// caller's checks (the experiment's: its flags over the parameters, then the schema, the
// checks across fields and the detectors' options) on the plain part and lists both at once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadParameters, parameterProblems } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'experiment.ts');

/** The tester's file (bad4.ts), its output folder moved into the test's own. */
const BAD = (outputDir: string) => `export const parameters = {
  outputDir: ${JSON.stringify(outputDir)},
  durationSeconds: '150',
  startAt: new Date(),
  traffic: { users: 12.5, shape: 'Normal', thinkTimeSeconds: [4, 2] },
  exfiltration: [{ atSeconds: 90, bytes: 400000, method: 'api' }, { atSeconds: 90, bytes: -1, method: 'egress' }],
  detectors: { trainingSeconds: 60, options: { ewma: { lambda: () => 1 } } },
};
export default parameters;
`;

/** The field each line of a "invalid parameters" message is about. */
const fields = (message: string) => message.split('\n').slice(1).map((l) => l.trim().split(': ')[0]);

describe('parameters with values that are not plain data and schema mistakes', () => {
  it('loadParameters lists both kinds at once, a refused field once', async () => {
    const tmp = makeTempDir();
    try {
      const file = join(tmp.dir, 'bad.ts');
      writeFileSync(file, BAD(tmp.dir));
      const error = await loadParameters(file, { problemsBeside: (plain) => parameterProblems(plain).problems }).then(
        () => assert.fail('should be refused'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof UserError);
      assert.deepEqual(fields(error.message), [
        'startAt',
        'detectors.options.ewma.lambda',
        'durationSeconds',
        'traffic.users',
        'traffic.shape',
        'exfiltration[1].bytes',
        'traffic.thinkTimeSeconds',
      ]);
      assert.match(error.message, /startAt: a Date is not allowed here/);
      assert.match(error.message, /traffic\.shape: .*\(got "Normal"\)/);
      // Without the caller's checks, the plain-data mistakes alone (as before: replay reads only `detectors`).
      const alone = await loadParameters(file).catch((e: unknown) => e);
      assert.ok(alone instanceof UserError);
      assert.deepEqual(fields(alone.message), ['startAt', 'detectors.options.ewma.lambda']);
    } finally {
      tmp.remove();
    }
  });

  it('npm run experiment: both kinds in one error, its flags applied first, nothing started', { timeout: 60_000 }, () => {
    const tmp = makeTempDir();
    try {
      const file = join(tmp.dir, 'bad.ts');
      writeFileSync(file, BAD(tmp.dir));
      // --duration 150 corrects the file's durationSeconds "150": not listed.
      const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--parameters', file, '--duration', '150'], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^error: .*bad\.ts: invalid parameters:\n/);
      assert.deepEqual(fields(r.stderr.trimEnd()).sort(), ['detectors.options.ewma.lambda', 'exfiltration[1].bytes', 'startAt', 'traffic.shape', 'traffic.thinkTimeSeconds', 'traffic.users']);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.deepEqual(readdirSync(tmp.dir), ['bad.ts'], 'nothing was started or written');
    } finally {
      tmp.remove();
    }
  });
});
