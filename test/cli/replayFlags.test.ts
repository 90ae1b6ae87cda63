import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseInjectFlag, parseReplayArgs } from '../../src/cli/replayFlags.ts';
import { UserError } from '../../src/errors.ts';

const userError = (pattern: RegExp) => (e: unknown) => e instanceof UserError && pattern.test(e.message);

describe('replay flags', () => {
  it('parse --inject: bytes per interval @ windows in seconds after the start', () => {
    assert.deepEqual(parseInjectFlag('50000@120-180,240-260'), {
      bytesPerInterval: 50000,
      at: [
        { startSeconds: 120, endSeconds: 180 },
        { startSeconds: 240, endSeconds: 260 },
      ],
    });
    assert.deepEqual(parseInjectFlag('1.5e3@0.5-2'), { bytesPerInterval: 1500, at: [{ startSeconds: 0.5, endSeconds: 2 }] });
    assert.throws(() => parseInjectFlag('50000'), userError(/^--inject: expected <bytes per interval>@<start>-<end>.*\(got "50000"\)$/));
    assert.throws(() => parseInjectFlag('lots@1-2'), userError(/bytes per interval must be a positive number \(got "lots"\)/));
    assert.throws(() => parseInjectFlag('100@5-3'), userError(/window "5-3" must end after it starts/));
    assert.throws(() => parseInjectFlag('100@5-'), userError(/expected <bytes per interval>/));
  });

  it('read the run directory and every flag', () => {
    const a = parseReplayArgs(['runs/r1', '--out', 'o', '--detectors', 'ewma,new-edge', '--training', '30', '--speed', '10', '--inject', '100@1-2', '--inject', '200@3-4', '--inject-path', 'a,b', '--quiet']);
    assert.equal(a.help, false);
    if (a.help) return;
    assert.equal(a.dir, 'runs/r1');
    assert.equal(a.out, 'o');
    assert.deepEqual(a.detectors, ['ewma', 'new-edge']);
    assert.equal(a.training, 30);
    assert.equal(a.speed, 10);
    assert.deepEqual(
      a.inject.map((i) => i.bytesPerInterval),
      [100, 200],
    );
    assert.deepEqual(a.injectPath, ['a', 'b']);
    assert.equal(a.quiet, true);
    assert.equal(parseReplayArgs(['--help']).help, true);
  });

  it('name the flag and value of every mistake', () => {
    assert.throws(() => parseReplayArgs([]), userError(/^expected a run directory/));
    assert.throws(() => parseReplayArgs(['a', 'b']), userError(/expected one run directory \(got 2: a b\)/));
    // A name that is not a built-in's may be a plugin's: checked once the plugins are loaded (detectorSettings).
    assert.deepEqual((parseReplayArgs(['r', '--detectors', 'ewma,magic']) as { detectors?: string[] }).detectors, ['ewma', 'magic']);
    assert.throws(() => parseReplayArgs(['r', '--speed', '0']), userError(/--speed: expected a positive number/));
    assert.throws(() => parseReplayArgs(['r', '--at-fpr', '0.01,0']), userError(/--at-fpr: expected false-alarm rates between 0 and 1.*\(got "0"\)/));
    assert.throws(() => parseReplayArgs(['r', '--at-fpr', 'one']), userError(/--at-fpr: .*\(got "one"\)/));
    assert.deepEqual((parseReplayArgs(['r', '--at-fpr', '0.01, 0.001']) as { atFpr?: number[] }).atFpr, [0.01, 0.001]);
    assert.throws(() => parseReplayArgs(['r', '--speed', 'fast']), userError(/--speed: expected a number \(got "fast"\)/));
    assert.throws(() => parseReplayArgs(['r', '--training=-5']), userError(/--training: expected seconds ≥ 0 \(got -5\)/));
    assert.throws(() => parseReplayArgs(['r', '--inject-path', 'a,b']), userError(/go with --inject/));
    assert.throws(() => parseReplayArgs(['r', '--inject-requests', '0.5']), userError(/go with --inject/));
    assert.throws(() => parseReplayArgs(['r', '--inject', '1000@10-20', '--inject-requests', '-1']), userError(/--inject-requests/));
    assert.equal(parseReplayArgs(['r', '--inject', '1000@10-20', '--inject-requests', '0.5']).injectRequests, 0.5);
    assert.throws(() => parseReplayArgs(['r', '--inject', '1@1-2', '--inject-path', 'a']), userError(/--inject-path: expected at least two nodes/));
    assert.throws(() => parseReplayArgs(['r', '--detecters', 'x']), userError(/--detecters/));
    assert.equal((parseReplayArgs(['r']) as { threads?: unknown }).threads, 'auto');
    assert.equal((parseReplayArgs(['r', '--threads', 'auto']) as { threads?: unknown }).threads, 'auto');
    assert.equal((parseReplayArgs(['r', '--threads', '1']) as { threads?: unknown }).threads, 1);
    assert.equal((parseReplayArgs(['r', '--threads', '2']) as { threads?: unknown }).threads, 2);
    assert.throws(() => parseReplayArgs(['r', '--threads', '3']), userError(/--threads: expected 1, 2 or auto \(got "3"\)/));
    assert.throws(() => parseReplayArgs(['r', '--threads', 'many']), userError(/--threads: expected 1, 2 or auto \(got "many"\)/));
  });

  it('name every mistake of a command line at once, each with its flag and value', () => {
    const argv = ['r', 'extra', '--detectors', 'ewma,', '--training=-3', '--inject', '5000@x-y', '--at-fpr', '0.01,2', '--speed', '0'];
    assert.throws(
      () => parseReplayArgs(argv),
      (e: unknown) => {
        assert.ok(e instanceof UserError);
        const lines = e.message.split('\n');
        assert.equal(lines[0], '6 problems with the command line:');
        assert.match(lines[1]!, /^ {2}expected one run directory \(got 2: r extra\)$/);
        assert.match(lines[2]!, /^ {2}--detectors: /);
        assert.match(lines[3]!, /^ {2}--training: expected seconds ≥ 0 \(got -3\)$/);
        assert.match(lines[4]!, /^ {2}--speed: expected a positive number/);
        assert.match(lines[5]!, /^ {2}--inject: expected <bytes per interval>@<start>-<end>.*\(got "5000@x-y"\)$/);
        assert.match(lines[6]!, /^ {2}--at-fpr: .*\(got "2"\)$/);
        assert.equal(lines.length, 7);
        return true;
      },
    );
  });
});
