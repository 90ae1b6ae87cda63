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

/** E[min(Z², 2²)] for a standard normal Z, as src/detectors/stats/robustEwma.ts rounds it (0.920537). */
const RHO = 0.9205;

test('pair-ratio: EWMA on edge bytes / (reference bytes + ε), by hand; the reference edge is watched by its own volume', () => {
  const v = judgeSnapshots(
    handSnapshots([
      // ratios 10, 14, 12, 10, 14: warm-up mean 12, variance 4. Reference front-end→user flat at 99.
      interval(1000, 99),
      interval(1400, 99),
      interval(1200, 99),
      interval(1000, 99),
      interval(1400, 99),
      interval(2000, 99), // 20: r 8, σ 2 → z 4 > 3; the reference's own z is 0. Alarmed: not learnt.
      interval(500, 0), // reference silent: ratio unknown, the reference's silence not judged (active < 90 %)
      interval(1300, 99), // 13: r 1, σ 2 → z 0.5, learnt: L 12.5, V 0.8·4 + 0.2·1/RHO
      interval(2200, 99), // 22 against that
    ]),
    pairRatio({ lambda: 0.5, k: 3 }, { trainingSeconds: 5 }),
  );
  assertClose(v[5]!.score, 4, 1e-9);
  assert.equal(v[5]!.alarm, true);
  assert.deepEqual(v[5]!.blamed.map((b) => [b.src, b.dst]), [['front-end', 'catalogue']]);
  assert.equal(v[6]!.score, 0);
  assert.equal(v[6]!.alarm, false);
  assertClose(v[7]!.score, 0.5, 1e-9);
  assertClose(v[8]!.score, 9.5 / Math.sqrt(0.8 * 4 + (0.2 * 1) / RHO), 1e-9);
});

test('pair-ratio: an exfiltration through the reference edge blames the reference edge itself', () => {
  // The reference carries 99 ± 10 (warm-up 99, 119, 109, 99, 119: mean 109, variance 100, σ 10),
  // ratios 10, 14, 12, 10, 14 as before; then the reference jumps to 599: its own z = 490/10 = 49.
  const refs = [99, 119, 109, 99, 119];
  const ratios = [10, 14, 12, 10, 14];
  const warm = refs.map((r, i) => interval(ratios[i]! * (r + 1), r));
  const v = judgeSnapshots(handSnapshots([...warm, interval(1200, 599)]), pairRatio({ lambda: 0.5, k: 3 }, { trainingSeconds: 5 }));
  // The catalogue ratio falls to 1200/600 = 2: |2 − 12|/2 = 5.
  assertClose(v[5]!.score, 49, 1e-9);
  assert.deepEqual(
    v[5]!.blamed.map((b) => [`${b.src}>${b.dst}`, b.score]),
    [
      ['front-end>user', 49],
      ['front-end>catalogue', 5],
    ],
  );
});

test('pair-ratio: two-sided by default, so a ratio that falls (traffic added to the reference) scores', () => {
  const refs = [99, 119, 109, 99, 119];
  const ratios = [10, 14, 12, 10, 14];
  const warm = refs.map((r, i) => interval(ratios[i]! * (r + 1), r));
  // Reference 129 (z (129 − 109)/10 = 2); catalogue 390: ratio 390/130 = 3, |3 − 12|/2 = 4.5.
  const intervals = [...warm, interval(390, 129)];
  const v = judgeSnapshots(handSnapshots(intervals), pairRatio({ lambda: 0.5, k: 3 }, { trainingSeconds: 5 }));
  assertClose(v[5]!.score, 4.5, 1e-9);
  assert.deepEqual(v[5]!.blamed.map((b) => [b.src, b.dst]), [['front-end', 'catalogue']]);
  // Upper-sided: the ratio's z is −4.5, so the score is the reference's 2.
  const upper = judgeSnapshots(handSnapshots(intervals), pairRatio({ lambda: 0.5, k: 3, sides: 'upper' }, { trainingSeconds: 5 }));
  assertClose(upper[5]!.score, 2, 1e-9);
  assert.equal(upper[5]!.alarm, false);
});

test('pair-ratio: explicit pairs, per metric when separate, the denominator watched too', () => {
  const row = (num: number, den: number): HandInterval => ({ 'a>b': { request_bytes: num, response_bytes: 1 }, 'c>d': { request_bytes: den - 1, response_bytes: 1 } });
  const v = judgeSnapshots(
    handSnapshots([row(100, 10), row(140, 10), row(120, 10), row(100, 10), row(140, 10), row(220, 10)]),
    pairRatio(
      { pairs: [{ numerator: { src: 'a', dst: 'b' }, denominator: { src: 'c', dst: 'd' } }], combine: 'separate', lambda: 0.5, k: 3 },
      { trainingSeconds: 5 },
    ),
  );
  // request ratio: 10, 14, 12, 10, 14 → mean 12, σ 2; 220/10 = 22 → z 5. response ratio 1/2
  // flat → r 0; c>d's own request (9) and response (1) volumes flat → r 0.
  assertClose(v[5]!.score, 5, 1e-9);
  assert.deepEqual(v[5]!.blamed.map((b) => [b.src, b.dst, b.metric]), [['a', 'b', 'request_bytes']]);
  // A jump of the denominator's own volume is blamed on it (c>d request 9 → 59: σ floored at
  // max(0.001, 0.01·9) = 0.09, z = 50/0.09); its ratio falls to 220/60.
  const jump = judgeSnapshots(
    handSnapshots([row(100, 10), row(140, 10), row(120, 10), row(100, 10), row(140, 10), row(220, 60)]),
    pairRatio(
      { pairs: [{ numerator: { src: 'a', dst: 'b' }, denominator: { src: 'c', dst: 'd' } }], combine: 'separate', lambda: 0.5, k: 3 },
      { trainingSeconds: 5 },
    ),
  );
  assertClose(jump[5]!.score, 50 / 0.09, 1e-6);
  assert.deepEqual(jump[5]!.blamed[0] && [jump[5]!.blamed[0].src, jump[5]!.blamed[0].dst, jump[5]!.blamed[0].metric], ['c', 'd', 'request_bytes']);
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
