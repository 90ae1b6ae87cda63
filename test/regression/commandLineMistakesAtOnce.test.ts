// Bug: the README says every mistake is listed at once, but the command line still reported
// them one at a time: `replay <run> --speed 0 --trainig 100` printed only "Unknown option
// '--trainig'" (parseArgs stopped at the first unknown flag, before the known flags' values
// were checked; two misspelt flags showed only the first), and a folder of runs given
// `--events x --speed 2` named only --events. parseFlags now reads every argument, noting each
// unknown flag (with the flag it most likely meant) beside the values' mistakes, and the
// flags a folder or a sweep refuse are refused together.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closestName } from '../../src/closestName.ts';
import { EXPERIMENT_FLAGS } from '../../src/cli/experimentFlags.ts';
import { parseFlags } from '../../src/cli/parseFlags.ts';
import { parseReplayArgs, type ReplayArgs } from '../../src/cli/replayFlags.ts';
import { replayCommand } from '../../src/cli/replayCommand.ts';
import { replayFolderCommand } from '../../src/cli/replayFolderCommand.ts';
import { UserError } from '../../src/errors.ts';
import { makeTempDir } from '../util.ts';

/** The UserError's message that `run` throws. */
function mistake(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    return e.message;
  }
  assert.fail('expected a UserError');
}

describe('command-line mistakes', () => {
  it('an unknown flag is listed with the known flags\' bad values, with the flag it most likely meant', () => {
    assert.equal(
      mistake(() => parseReplayArgs(['run', '--speed', '0', '--trainig', '100'])),
      '2 problems with the command line:\n' +
        '  unknown flag --trainig (did you mean --training?) (see --help)\n' +
        '  --speed: expected a positive number, 1 = real time, 10 = ten times faster (got 0)',
    );
  });

  it('every unknown flag, a switch given a value and a flag without its value, in one error', () => {
    const message = mistake(() => parseReplayArgs(['run', '--trainig', '100', '--sped', '2', '--frobnicate', '--quiet=yes', '--out']));
    assert.deepEqual(message.split('\n'), [
      '5 problems with the command line:',
      '  unknown flag --trainig (did you mean --training?) (see --help)',
      '  unknown flag --sped (did you mean --speed?) (see --help)',
      '  unknown flag --frobnicate (see --help)',
      '  --quiet takes no value (got "yes")',
      '  --out: expected a value (see --help)',
    ]);
    // The values of the misspelt flags were taken with them, not as a second run directory.
    assert.doesNotMatch(message, /expected one run directory/);
  });

  it('reads right command lines as parseArgs does', () => {
    const args = parseReplayArgs(['run', '--training=5', '--speed', '2', '--inject', '5000@10-20', '--inject=6000@30-40', '--quiet']);
    assert.ok(!args.help);
    assert.equal(args.training, 5);
    assert.equal(args.speed, 2);
    assert.equal(args.inject.length, 2);
    assert.equal(args.quiet, true);
    assert.equal(mistake(() => parseReplayArgs(['run', '--', '--odd'])), 'expected one run directory (got 2: run --odd)');
    // A negative number is a value (checked as one); another dashed word is asked for as --name=value.
    assert.equal(mistake(() => parseReplayArgs(['run', '--training', '-3'])), '--training: expected seconds ≥ 0 (got -3)');
    assert.equal(mistake(() => parseReplayArgs(['run', '--out', '-x'])), '--out: a value starting with a dash is written --out=-x (got --out -x)');
    assert.equal(mistake(() => parseReplayArgs(['run', '--training=-3'])), '--training: expected seconds ≥ 0 (got -3)');
  });

  it('a command without its own checks throws every parse mistake at once', () => {
    assert.equal(
      mistake(() => parseFlags(['--duraton', '60', '--quiet=1', 'stray'], EXPERIMENT_FLAGS)),
      '3 problems with the command line:\n' +
        '  unknown flag --duraton (did you mean --duration?) (see --help)\n' +
        '  --quiet takes no value (got "1")\n' +
        '  unexpected argument "stray": this command takes flags only (see --help)',
    );
  });

  it('a folder of runs or a sweep refuses --events and --speed together', async () => {
    const tmp = makeTempDir();
    try {
      // A sweep folder is one holding sweep.json; refused before it is read.
      writeFileSync(join(tmp.dir, 'sweep.json'), '{}\n');
      const both = (dir: string) => parseReplayArgs([dir, '--events', 'x', '--speed', '2']) as ReplayArgs;
      const folder = await replayFolderCommand(both(tmp.dir)).catch((e: unknown) => e);
      assert.ok(folder instanceof UserError);
      assert.equal(
        folder.message,
        '2 problems with the command line:\n' +
          '  --events scores one run against another ground truth; it does not go with a folder of runs\n' +
          '  --speed paces the replay of one run; it does not apply to a folder of runs (replay one of them instead)',
      );
      const sweep = await replayCommand(both(tmp.dir)).catch((e: unknown) => e);
      assert.ok(sweep instanceof UserError);
      assert.match(sweep.message, /^2 problems[^]*--events [^]*a sweep folder\n {2}--speed [^]*a sweep \(replay one of its runs instead\)$/);
    } finally {
      tmp.remove();
    }
  });

  it('suggests a flag one or two edits away (by hand: trainig→training is one transposition), not a far one', () => {
    const known = ['training', 'speed', 'detectors', 'detector-module', 'out'];
    assert.equal(closestName('trainig', known), 'training');
    assert.equal(closestName('sped', known), 'speed');
    assert.equal(closestName('detector', known), 'detectors'); // a prefix of one flag only
    assert.equal(closestName('detect', known), undefined); // a prefix of two
    assert.equal(closestName('ot', known), 'out');
    assert.equal(closestName('spx', known), undefined); // three edits from speed
    assert.equal(closestName('frobnicate', known), undefined);
  });
});
