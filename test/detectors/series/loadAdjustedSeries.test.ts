// The load-adjusted series (src/detectors/series/loadAdjustedSeries.ts) and the charts' `series`
// option. Expectations come from how the runs are generated: volume = base + coefficient × load
// + noise, so what is left once the load is taken out is the base, the mean load's share and
// the noise.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlChart, ewma, LoadResiduals } from '../../../src/detectors/index.ts';
import { detectorOperator } from '../../../src/detectors/detector.ts';
import { EwmaChart } from '../../../src/detectors/ewma/ewmaChart.ts';
import { LoadAdjustedSeries } from '../../../src/detectors/series/index.ts';
import { alarmLimit } from '../../../src/detectors/stats/index.ts';
import { UserError } from '../../../src/errors.ts';
import { framesOf, gaussian, handSnapshots, judgeSnapshots, residualParameters as parameters, seededRandom, type HandInterval } from '../../util.ts';

/** LoadResiduals that records the frame time of every edge observation it learns. */
class CountingResiduals extends LoadResiduals {
  readonly learnt: number[] = [];
  private now = 0;
  override read(frame: Parameters<LoadResiduals['read']>[0]): number {
    this.now = frame.t;
    return super.read(frame);
  }
  override learn(e: number): void {
    if (!Number.isNaN(this.residual[e]!)) this.learnt.push(this.now);
    super.learn(e);
  }
}

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

test('load-adjusted: before its fit has an observation an edge reads its volume; an adjusted value at or below 0 reads as the smallest positive number', () => {
  // 20 intervals of bytes = 1000 × requests, then 100 requests answered with no bytes: far below
  // the 100,000 the load predicts, an adjusted value under 0.
  const intervals: HandInterval[] = [];
  for (let t = 0; t < 20; t++) intervals.push({ 'a>b': { requests: 10 + t, response_bytes: 1000 * (10 + t) } });
  intervals.push({ 'a>b': { requests: 100, response_bytes: 0 } });
  const frames = framesOf(handSnapshots(intervals));
  const source = new LoadAdjustedSeries(new LoadResiduals(parameters({})));
  source.read(frames[0]!);
  assert.equal(source.values[0], 10_000);
  source.learnSeries(0, true);
  for (const frame of frames.slice(1, 20)) {
    source.read(frame);
    source.learnSeries(0, true);
  }
  source.read(frames[20]!);
  assert.equal(source.values[0], Number.MIN_VALUE);
});

test('load-adjusted: learnSeries teaches the fit only what is admitted', () => {
  const intervals: HandInterval[] = [];
  for (let t = 0; t < 60; t++) intervals.push({ 'a>b': { requests: 10 + (t % 7), response_bytes: 2000 * (10 + (t % 7)) } });
  const frames = framesOf(handSnapshots(intervals));
  const residuals = new CountingResiduals(parameters({}));
  const source = new LoadAdjustedSeries(residuals);
  for (const [t, frame] of frames.entries()) {
    source.read(frame);
    source.learnSeries(0, t !== 40);
  }
  // Frames end at t = 1 … 60 (handSnapshots' 1-s intervals): every one learnt but the 41st.
  assert.equal(residuals.learnt.length, 59);
  assert.ok(!residuals.learnt.includes(41));
});

test('ewma on load-adjusted volumes: the interval it alarms on does not teach the load fit, every other one does', () => {
  // bytes = 2000 × requests + noise, 100 intervals, +100 kB at the 81st; a fixed limit of k = 4
  // (no calibration needed) and 30 s of training.
  const random = seededRandom(41);
  const noise = gaussian(42);
  const intervals: HandInterval[] = [];
  for (let t = 0; t < 100; t++) {
    const requests = 20 + Math.floor(random() * 40);
    intervals.push({ 'a>b': { requests, response_bytes: 2000 * requests + 500 * noise() + (t === 80 ? 100_000 : 0) } });
  }
  const residuals = new CountingResiduals(parameters({}));
  const chart = () => new EwmaChart(new LoadAdjustedSeries(residuals), { lambda: 0.2, scaleLambda: 0.1, minStd: 1, relativeMinStd: 0.01, sides: 'upper' }, alarmLimit({ k: 4 }, 0.01));
  const verdicts = judgeSnapshots(handSnapshots(intervals), detectorOperator(chart, { name: 'ewma', trainingSeconds: 30, falseAlarmRate: 0.01 }));
  assert.deepEqual(
    verdicts.filter((v) => v.alarm).map((v) => v.t),
    [81],
  );
  assert.ok(!residuals.learnt.includes(81));
  assert.equal(residuals.learnt.length, 99);
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
