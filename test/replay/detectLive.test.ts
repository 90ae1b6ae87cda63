import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { resolveParameters } from '../../src/config/index.ts';
import { detectLive, formatAlert, replayRun } from '../../src/replay/index.ts';
import type { Verdict } from '../../src/types.ts';
import { captureLog } from '../util.ts';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'munnin-cybermonday-30k');

describe('detectLive', () => {
  it('gives one verdict per enabled detector per interval, in time order, training first', async () => {
    const config = resolveParameters({ detectors: { enabled: ['ewma', 'control-chart'], trainingSeconds: 60 } }).detectors;
    const log = captureLog();
    const verdicts = await lastValueFrom(replayRun(fixture).pipe(detectLive(config, { metrics: ['tcp_sent_bytes', 'tcp_received_bytes'] }), toArray()));
    log.restore();
    assert.equal(verdicts.length, 72 * 2);
    assert.deepEqual(new Set(verdicts.map((v) => v.detector)), new Set(['ewma', 'control-chart']));
    assert.ok(verdicts.every((v, i) => i === 0 || v.t >= verdicts[i - 1]!.t));
    assert.equal(verdicts.filter((v) => v.training).length, 11 * 2);
    assert.ok(verdicts.every((v) => v.training === Number.isNaN(v.score)));
  });

  it('formats an alert with the time since the start and the blamed edges', () => {
    const v: Verdict = {
      t: 1130,
      dt: 5,
      detector: 'ewma',
      score: 7.25,
      threshold: 3,
      alarm: true,
      training: false,
      gap: false,
      blamed: [
        { src: 'front-end', dst: 'user', metric: 'response_bytes', score: 7.25 },
        { src: 'external', dst: 'front-end', score: 4 },
      ],
    };
    assert.equal(formatAlert(v, 1000), 'alert +130 s  ewma: score 7.25 > 3.00  blamed: front-end → user (response_bytes), external → front-end');
    assert.equal(formatAlert({ ...v, blamed: [], score: 1234.5 }), 'alert t=1130  ewma: score 1235 > 3.00');
  });

  it('prints score and threshold to the same significant digits, enough to tell them apart, with the rule’s own comparison', () => {
    const v = { t: 1130, dt: 5, detector: 'ewma', score: 3.004, threshold: 3, alarm: true, training: false, gap: false, blamed: [] };
    assert.equal(formatAlert(v), 'alert t=1130  ewma: score 3.004 > 3.000', 'never "3.00 > 3"');
    assert.equal(formatAlert({ ...v, score: 3.0000001 }), 'alert t=1130  ewma: score 3.0000001 > 3.0000000');
    assert.equal(formatAlert({ ...v, score: 417605 }), 'alert t=1130  ewma: score 417605 > 3.00', 'all integer digits, no 4.18e+5');
    assert.equal(formatAlert({ ...v, score: 13_800_000, threshold: 2_500_000 }), 'alert t=1130  ewma: score 1.38e7 > 2.50e6');
    assert.equal(formatAlert({ ...v, score: 0.00042, threshold: 0.0004 }), 'alert t=1130  ewma: score 4.20e-4 > 4.00e-4');
    assert.equal(formatAlert({ ...v, score: 3, comparison: '≥' as const }), 'alert t=1130  ewma: score 3.00 ≥ 3.00', 'a ≥ rule that fires on equality says so');
  });
});
