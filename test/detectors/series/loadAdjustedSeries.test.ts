// The load-adjusted series (src/detectors/series/loadAdjustedSeries.ts) and the charts' `series`
// option. Expectations come from how the runs are generated: volume = base + coefficient × load
// + noise, so what is left once the load is taken out is the base, the mean load's share and
// the noise.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlChart, ewma, LoadResiduals } from '../../../src/detectors/index.ts';
import { LoadAdjustedSeries } from '../../../src/detectors/series/index.ts';
import { UserError } from '../../../src/errors.ts';
import { framesOf, gaussian, handSnapshots, judgeSnapshots, residualParameters as parameters, seededRandom, type HandInterval } from '../../util.ts';

const sd = (xs: readonly number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

test('load-adjusted: bytes = 5000 + 3000 × requests + N(0, 300²): from one interval to the next the adjusted value moves by the noise, not the load; an extra 20 kB shows whole; idle reads 0', () => {
  const random = seededRandom(21);
  const noise = gaussian(22);
  const intervals: HandInterval[] = [];
  for (let t = 0; t < 300; t++) {
    const requests = 20 + Math.floor(random() * 100);
    intervals.push({ 'a>b': { requests, response_bytes: 5000 + 3000 * requests + 300 * noise() } });
  }
  // The extra bytes come without requests (an exfiltration through the edge), then an idle interval.
  intervals.push({ 'a>b': { requests: 70, response_bytes: 5000 + 3000 * 70 + 20_000 } }, { 'c>d': { requests: 1, response_bytes: 10 } });
  const frames = framesOf(handSnapshots(intervals));
  const source = new LoadAdjustedSeries(new LoadResiduals(parameters({ relativeMinStd: 0 })));
  const adjusted: number[] = [];
  const volume: number[] = [];
  for (const [t, frame] of frames.slice(0, 300).entries()) {
    source.read(frame);
    if (t >= 50) {
      adjusted.push(source.values[0]!);
      volume.push(frame.values.get('response_bytes')![0]!);
    }
    source.learnSeries(0, true);
  }
  const steps = (xs: readonly number[]) => xs.slice(1).map((x, i) => x - xs[i]!);
  // Requests uniform on 20…119 (sd 29): the volume's steps have sd √2·29·3000 ≈ 123,000. The
  // adjusted value is the fit's mean plus the residual: its steps are the noise's (√2·300 ≈ 420)
  // plus the mean's own step (a 1/memory = 1/100 share of a ~87,000 departure: ~870).
  assert.ok(sd(steps(volume)) > 100_000, `volume steps sd ${sd(steps(volume))}`);
  assert.ok(sd(steps(adjusted)) < 1500, `adjusted steps sd ${sd(steps(adjusted))}`);
  const before = adjusted[adjusted.length - 1]!;
  source.read(frames[300]!);
  // 20,000 over the interval before, within ~3 of those step sds.
  assert.ok(Math.abs(source.values[0]! - before - 20_000) < 3000, `excess ${source.values[0]! - before}`);
  source.learnSeries(0, false);
  source.read(frames[301]!);
  assert.equal(source.values[0], 0, 'a → b idle');
});

test('load-adjusted: a series not admitted does not teach the fit (the next value is as if the interval had not been learnt)', () => {
  const random = seededRandom(5);
  const intervals: HandInterval[] = [];
  for (let t = 0; t < 60; t++) {
    const requests = 10 + Math.floor(random() * 50);
    intervals.push({ 'a>b': { requests, response_bytes: 2000 * requests + 500 * random() } });
  }
  const frames = framesOf(handSnapshots(intervals));
  const gated = new LoadAdjustedSeries(new LoadResiduals(parameters({})));
  const learning = new LoadAdjustedSeries(new LoadResiduals(parameters({})));
  for (const [t, frame] of frames.entries()) {
    gated.read(frame);
    learning.read(frame);
    gated.learnSeries(0, t !== 40);
    learning.learnSeries(0, true);
    if (t === 41) {
      // Reading interval 41 both predicted from the same fit up to 39; the learning one also learnt 40.
      const skipped = new LoadAdjustedSeries(new LoadResiduals(parameters({})));
      for (const [u, f] of frames.slice(0, 42).entries()) {
        if (u === 40) continue;
        skipped.read(f);
        if (u < 41) skipped.learnSeries(0, true);
      }
      assert.equal(gated.values[0], skipped.values[0]);
      assert.notEqual(learning.values[0], gated.values[0]);
    }
  }
});

test('charts with series "load-adjusted": on an edge whose bytes follow a jittery, growing load, the volume charts miss 30 kB that the load-adjusted ones catch, both within the promise', () => {
  const noise = gaussian(31);
  const random = seededRandom(32);
  const intervals: HandInterval[] = [];
  const attackAt = 350;
  for (let t = 0; t < 400; t++) {
    // The load climbs from ~20 to ~200 requests an interval over the run, with ±25 % jitter; the
    // bytes are 3000 a request + N(0, 2000²): at the attack the volume's sd is ~76,000 (the
    // jitter's 177 × 0.5/√12 × 3000), the noise's 2,000, so 30 kB is 0.4 σ of the one, 15 σ of
    // the other.
    const requests = Math.round((20 + (180 * t) / 400) * (0.75 + 0.5 * random()));
    const extra = t === attackAt ? 30_000 : 0;
    intervals.push({
      'external>a': { requests, request_bytes: 200 * requests },
      'a>b': { requests, response_bytes: 3000 * requests + 2000 * noise() + extra },
    });
  }
  const snapshots = handSnapshots(intervals);
  for (const make of [ewma, controlChart]) {
    const name = make === ewma ? 'ewma' : 'control-chart';
    const scored = (series: 'volume' | 'load-adjusted') => judgeSnapshots(snapshots, make({ series, sides: 'upper' }, { trainingSeconds: 60 })).filter((v) => !v.training);
    for (const series of ['volume', 'load-adjusted'] as const) {
      const verdicts = scored(series);
      const benign = verdicts.filter((_, i) => i + 60 !== attackAt && i + 60 !== attackAt + 1);
      // 338 benign intervals at a promise of 1 %: ~3.4 expected; 8 or more has probability < 1 %.
      assert.ok(benign.filter((v) => v.alarm).length <= 7, `${name} ${series}: ${benign.filter((v) => v.alarm).length} false alarms`);
      const attack = verdicts[attackAt - 60]!;
      if (series === 'volume') assert.equal(attack.alarm, false, `${name} volume caught 0.4 σ`);
      else {
        assert.ok(attack.alarm, `${name} load-adjusted misses 30 kB (15 σ of the noise)`);
        assert.equal(attack.blamed[0]?.dst, 'b');
      }
    }
  }
});

test('charts with series "load-adjusted": combine "separate" is refused, naming the field', () => {
  for (const make of [ewma, controlChart]) {
    assert.throws(
      () => judgeSnapshots(handSnapshots([{ 'a>b': { requests: 1, response_bytes: 10 } }]), make({ series: 'load-adjusted', combine: 'separate' }, { trainingSeconds: 1 })),
      (e: unknown) => e instanceof UserError && /detectors\.options\.(ewma|control-chart)\.series: "load-adjusted"/.test(e.message) && /combine: "separate"/.test(e.message),
    );
  }
});
