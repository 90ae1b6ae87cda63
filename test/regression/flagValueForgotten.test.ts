// Bug: a flag whose value was forgotten swallowed the next flag. `replay run --out --trainig 100`
// said "--out: a value starting with a dash is written --out=--trainig" and "expected one run
// directory (got 2: run 100)": the misspelt flag was never reported, and its value became a
// second run. `--out -` was refused, where parseArgs took `-` as a value. Now a next argument
// starting with `--` is a flag (the value is missing, the flag read as one), and `-` alone and
// negative numbers or times (`-3`, `-2h`) are values, so `--start -2h` needs no special case.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseImportArgs } from '../../src/cli/importFlags.ts';
import { parseReplayArgs } from '../../src/cli/replayFlags.ts';
import { UserError } from '../../src/errors.ts';

it('a flag without its value leaves the next flag a flag; `-` and negative times are values', () => {
  assert.throws(
    () => parseReplayArgs(['run', '--out', '--trainig', '100']),
    (e: unknown) =>
      e instanceof UserError &&
      e.message === '2 problems with the command line:\n  --out: expected a value (see --help)\n  unknown flag --trainig (did you mean --training?) (see --help)',
  );
  const dash = parseReplayArgs(['run', '--out', '-']);
  assert.ok(!dash.help);
  assert.deepEqual([dash.dir, dash.out], ['run', '-']);
  // now = 10,000 s: -2h is 7,200 s before it, -30m 1,800 s.
  const relative = parseImportArgs(['prometheus', '--url', 'http://127.0.0.1:9090', '--start', '-2h', '--end', '-30m', '--step', '15'], 10_000);
  assert.ok(!relative.help && relative.source.kind === 'prometheus');
  assert.deepEqual([relative.source.startSeconds, relative.source.endSeconds], [2_800, 8_200]);
});
