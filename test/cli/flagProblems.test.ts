import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FlagProblems } from '../../src/cli/flagProblems.ts';
import { parseQualityArgs } from '../../src/cli/qualityFlags.ts';
import { UserError } from '../../src/errors.ts';

it('flag problems: a user mistake is noted and the parse goes on; one is thrown as it was, several together; a bug is not swallowed', () => {
  const none = new FlagProblems();
  assert.equal(none.check(() => 7), 7);
  none.throwIfAny(); // nothing noted: no error

  const one = new FlagProblems();
  assert.equal(
    one.check(() => {
      throw new UserError('--x: bad (got 1)');
    }),
    undefined,
  );
  assert.throws(() => one.throwIfAny(), (e: unknown) => e instanceof UserError && e.message === '--x: bad (got 1)');

  const two = new FlagProblems();
  two.note('--a: bad (got "p")');
  two.check(() => {
    throw new UserError('--b: bad (got "q")');
  });
  assert.throws(() => two.throwIfAny(), (e: unknown) => e instanceof UserError && e.message === '2 problems with the command line:\n  --a: bad (got "p")\n  --b: bad (got "q")');

  const bug = new FlagProblems();
  const notAMistake = () => {
    throw new TypeError('not a user mistake');
  };
  assert.throws(() => bug.check(notAMistake), TypeError);
});

it('npm run quality names every mistake of its command line at once', () => {
  assert.throws(
    () => parseQualityArgs(['extra', '--record', '--base', 'runs/b', '--munnin-seeds', 'lots']),
    (e: unknown) =>
      e instanceof UserError &&
      e.message ===
        '4 problems with the command line:\n  npm run quality takes no arguments besides flags (got extra; see --help)\n  --record records the base run, --base names one: choose one of them\n  --munnin-seeds: a whole number from 0 to 1000 (got lots)\n  --base runs/b: no such run directory',
  );
});
