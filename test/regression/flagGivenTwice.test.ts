// Bug (tester G, defect 7): a flag taking one value given twice (`replay run --training 60
// --training 10`, `--out a --out b`, `experiment --duration 100 --duration 60`) was reduced to
// its last value without a word (parseArgs keeps the last): the first, perhaps the one meant,
// was silently ignored. It is now a command-line mistake naming the flag and both values,
// listed with the others; flags declared repeatable (--inject, --detector-module) still repeat.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXPERIMENT_FLAGS } from '../../src/cli/experimentFlags.ts';
import { parseFlags } from '../../src/cli/parseFlags.ts';
import { parseReplayArgs } from '../../src/cli/replayFlags.ts';
import { UserError } from '../../src/errors.ts';

function mistake(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    return e.message;
  }
  assert.fail('expected a UserError');
}

describe('a flag given twice', () => {
  it('is refused, naming the flag and both values, with the other mistakes', () => {
    assert.equal(
      mistake(() => parseReplayArgs(['run', '--training', '60', '--out=a', '--training', '10', '--out', 'b'])),
      '2 problems with the command line:\n' +
        '  --training given more than once (got "60", then "10"): it takes one value; give it once\n' +
        '  --out given more than once (got "a", then "b"): it takes one value; give it once',
    );
    assert.equal(
      mistake(() => parseFlags(['--duration', '100', '--duration', '60'], EXPERIMENT_FLAGS)),
      '--duration given more than once (got "100", then "60"): it takes one value; give it once',
    );
  });

  it('is kept, every value, when the flag is repeatable', () => {
    const { values } = parseFlags(['--detector-module', 'a.ts', '--detector-module', 'b.ts'], EXPERIMENT_FLAGS);
    assert.deepEqual(values['detector-module'], ['a.ts', 'b.ts']);
    const args = parseReplayArgs(['run', '--inject', '1000@80-84', '--inject', '2000@90-94']);
    assert.equal(args.inject?.length, 2);
  });
});
