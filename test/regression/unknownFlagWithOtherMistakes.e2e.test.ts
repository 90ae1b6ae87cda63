// Bug: import, record and bench still stopped at the first unknown flag: they created their
// FlagProblems after parseFlags and did not pass it in, so `record --duraton 60 --interval x`
// said only "unknown flag --duraton" and the bad --interval was found on the next try (and
// import threw "expected prometheus or csv first" alone). Now each passes its FlagProblems to
// parseFlags, and every mistake is listed in one error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseImportArgs } from '../../src/cli/importFlags.ts';
import { UserError } from '../../src/errors.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** stderr of `src/cli/<command>.ts args…`, which must fail. */
function refused(command: string, args: readonly string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', `${command}.ts`), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.notEqual(r.status, 0, r.stdout);
  return r.stderr;
}

describe('an unknown flag is listed with the other mistakes', () => {
  it('import: with a bad value, and with no kind', () => {
    assert.throws(
      () => parseImportArgs(['csv', 'traffic.csv', '--intervl', '10', '--name', 'a b'], 0),
      (e: unknown) => e instanceof UserError && /^3 problems/.test(e.message) && e.message.includes('unknown flag --intervl (did you mean --interval?)') && e.message.includes('--name: letters, digits') && e.message.includes('traffic.csv: no such file'),
    );
    assert.throws(
      () => parseImportArgs(['--nme', 'x'], 0),
      (e: unknown) =>
        e instanceof UserError && e.message === '2 problems with the command line:\n  unknown flag --nme (did you mean --name?) (see --help)\n  expected prometheus or csv first (got nothing); see --help',
    );
  });

  it('record', () => {
    const stderr = refused('record', ['--duraton', '60', '--interval', 'x']);
    assert.match(stderr, /2 problems with the command line/);
    assert.match(stderr, /unknown flag --duraton \(did you mean --duration\?\)/);
    assert.match(stderr, /--interval: expected a number \(got "x"\)/);
  });

  it('bench', () => {
    const stderr = refused('bench', ['--sizez', '5', '--intervals', '3']);
    assert.match(stderr, /2 problems with the command line/);
    assert.match(stderr, /unknown flag --sizez \(did you mean --sizes\?\)/);
    assert.match(stderr, /--intervals: expected a whole number ≥ 20 \(got 3\)/);
  });
});
