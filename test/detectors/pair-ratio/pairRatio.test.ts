import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairRatio } from '../../../src/detectors/index.ts';
import { UserError } from '../../../src/errors.ts';
import { assertClose, captureLog, handSnapshots, judgeSnapshots, type HandInterval } from '../../util.ts';


/** front-end→catalogue bytes over front-end→user bytes (the default reference), ε = 1. */
function interval(catalogue: number, user: number): HandInterval {
  const row: Record<string, Record<string, number>> = { 'front-end>catalogue': { response_bytes: catalogue } };
  if (user > 0) row['front-end>user'] = { response_bytes: user };
  return row;
}

test('pair-ratio: EWMA on edge bytes / (reference bytes + ε), by hand', () => {
  const v = judgeSnapshots(
    handSnapshots([
      interval(100, 99), // ratio 1
      interval(200, 99), // 2
      interval(300, 99), // 3 → training mean 2, variance 1
      interval(1200, 199), // 6: r 4, σ 1 → z 4 > 3. State m 4, v 0.5·(1 + 0.5·16) = 4.5
      interval(500, 0), // reference silent: ratio unknown, not scored, not learned
      interval(1400, 199), // 7: r 3, σ √4.5
    ]),
    pairRatio({ lambda: 0.5, k: 3 }, { trainingSeconds: 3 }),
  );
  assertClose(v[3]!.score, 4, 1e-9);
  assert.equal(v[3]!.alarm, true);
  assert.deepEqual(v[3]!.blamed.map((b) => [b.src, b.dst]), [['front-end', 'catalogue']]);
  assert.equal(v[4]!.score, 0);
  assert.equal(v[4]!.alarm, false);
  assertClose(v[5]!.score, 3 / Math.sqrt(4.5), 1e-9);
});

test('pair-ratio: two-sided by default, so a ratio that falls (traffic added to the reference) scores', () => {
  const v = judgeSnapshots(
    handSnapshots([interval(100, 99), interval(200, 99), interval(300, 99), interval(100, 399)]),
    pairRatio({ lambda: 0.5, k: 3 }, { trainingSeconds: 3 }),
  );
  // ratio 100/400 = 0.25: |0.25 − 2| / 1.
  assertClose(v[3]!.score, 1.75, 1e-9);
  const upper = judgeSnapshots(
    handSnapshots([interval(100, 99), interval(200, 99), interval(300, 99), interval(100, 399)]),
    pairRatio({ lambda: 0.5, k: 3, sides: 'upper' }, { trainingSeconds: 3 }),
  );
  assert.equal(upper[3]!.score, 0);
});

test('pair-ratio: explicit pairs, per metric when separate', () => {
  const row = (num: number, den: number): HandInterval => ({ 'a>b': { request_bytes: num, response_bytes: 1 }, 'c>d': { request_bytes: den - 1, response_bytes: 1 } });
  const v = judgeSnapshots(
    handSnapshots([row(10, 10), row(20, 10), row(30, 10), row(70, 10)]),
    pairRatio(
      { pairs: [{ numerator: { src: 'a', dst: 'b' }, denominator: { src: 'c', dst: 'd' } }], combine: 'separate', lambda: 0.5, k: 3 },
      { trainingSeconds: 3 },
    ),
  );
  // request ratio: 10/10, 20/10, 30/10 → mean 2, σ 1; 70/10 = 7 → z 5. response ratio 1/2 flat → r 0.
  assertClose(v[3]!.score, 5, 1e-9);
  assert.deepEqual(v[3]!.blamed.map((b) => [b.src, b.dst, b.metric]), [['a', 'b', 'request_bytes']]);
});

test('pair-ratio: a pair whose edges never appear is never scored', () => {
  const v = judgeSnapshots(
    handSnapshots([interval(1, 9), interval(1, 9), interval(1, 9), interval(1, 9)]),
    pairRatio({ pairs: [{ numerator: { src: 'x', dst: 'y' }, denominator: { src: 'y', dst: 'z' } }] }, { trainingSeconds: 3 }),
  );
  assert.equal(v[3]!.score, 0);
});

test('pair-ratio: option errors name the field', () => {
  assert.throws(
    () => pairRatio({ reference: { src: 'front-end' } as never }),
    (e: unknown) => e instanceof UserError && /detectors\.options\.pair-ratio\.reference\.dst: /.test(e.message),
  );
  assert.throws(
    () => pairRatio({ epsilon: 0 }),
    (e: unknown) => e instanceof UserError && /detectors\.options\.pair-ratio\.epsilon: .*\(got 0\)/.test(e.message),
  );
});

test('pair-ratio: warns when the reference edge carries nothing in training', () => {
  const log = captureLog();
  try {
    judgeSnapshots(handSnapshots([{ 'a>b': { request_bytes: 1 } }, { 'a>b': { request_bytes: 2 } }]), pairRatio({}, { trainingSeconds: 1 }));
  } finally {
    log.restore();
  }
  assert.match(log.text('warn'), /pair-ratio: the reference edge front-end → user carried no traffic during training.*detectors\.options\.pair-ratio\.reference/);
});
