// The request side of a front-door edge given its response side: requests generated as
// coefficient × responses + noise, the fitted slope and scale compared with the generating
// ones, and a scraping interval's residual computed by hand from them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestMixResiduals } from '../../../src/detectors/series/index.ts';
import { assertClose, framesOf, gaussian, handSnapshots, residualParameters as parameters, seededRandom, type HandInterval } from '../../util.ts';

/** 300 benign intervals: the front door asks 0.04 B per byte it gets back, ± 150 B; an inner edge carries traffic too. */
function benign(seed: number): HandInterval[] {
  const random = seededRandom(seed);
  const noise = gaussian(seed + 1);
  const out: HandInterval[] = [];
  for (let t = 0; t < 300; t++) {
    const response = 50_000 + random() * 350_000;
    out.push({
      'external>front-end': { tcp_sent_bytes: response, tcp_received_bytes: 0.04 * response + 150 * noise() },
      'front-end>user': { tcp_sent_bytes: 80_000 + 5_000 * noise(), tcp_received_bytes: 16_000 + 1_000 * noise() },
    });
  }
  return out;
}

test('request mix: tcp_received = 0.04 × tcp_sent + N(0, 150²) on the front door: slope 0.04, σ ≈ 150; inner edges are idle', () => {
  const frames = framesOf(handSnapshots(benign(3)));
  const mix = new RequestMixResiduals(parameters({ ridge: 0, relativeMinStd: 0 }));
  for (const frame of frames) {
    const n = mix.read(frame);
    assert.ok(Number.isNaN(mix.z[1]!) && Number.isNaN(mix.residual[1]!), 'front-end → user is no front-door edge');
    for (let e = 0; e < n; e++) mix.learn(e);
  }
  // Standard error of the slope ≈ 150 / (sd(sent) ≈ 101,000 × √(effective n ≈ 100)) ≈ 1.5e-4.
  assertClose(mix.slope(0, 0), 0.04, 6e-4, 'slope on the response bytes');
  assert.equal(mix.slope(0, 1), 0, 'no front-door covariate');
  assert.equal(mix.slope(0, 2), 0, 'no callers\' covariate');
  assertClose(mix.sigma(0), 150, 25, 'σ');
});

test('request mix: a scrape asking 25 kB for 30 kB it gets back leaves 25,000 − 0.04 × 30,000 = 23,800 B unexplained; no response bytes: idle', () => {
  const intervals = benign(5);
  const last = intervals[299] as Record<string, Record<string, number>>;
  const door = last['external>front-end']!;
  // The last interval: the benign traffic exactly on the fitted line (response 200 kB, requests 8 kB), plus the scrape.
  intervals[299] = { ...last, 'external>front-end': { tcp_sent_bytes: 200_000 + 30_000, tcp_received_bytes: 8_000 + 25_000 } };
  intervals.push({ 'external>front-end': { tcp_received_bytes: door.tcp_received_bytes! } });
  const frames = framesOf(handSnapshots(intervals));
  const mix = new RequestMixResiduals(parameters({ ridge: 0, relativeMinStd: 0 }));
  for (const frame of frames.slice(0, 299)) {
    const n = mix.read(frame);
    for (let e = 0; e < n; e++) mix.learn(e);
  }
  mix.read(frames[299]!);
  // The fit's line passes within a few bytes of (200 kB, 8 kB) (intercept and slope within their
  // standard errors: ~15 B and ~1.5e-4 × 150 kB ≈ 25 B), so the residual is the scrape's 25 kB
  // minus what its 30 kB of responses explain at the generating slope.
  assertClose(mix.residual[0]!, 23_800, 150, 'residual at the generating slope');
  assert.ok(mix.z[0]! > 100, `z ${mix.z[0]}`);
  mix.read(frames[300]!);
  assert.ok(Number.isNaN(mix.z[0]!), 'an interval that sent nothing back is not judged');
});

test('request mix: a counts-only stream is idle everywhere until a frame carries a response metric, then the fit starts as on a first frame', () => {
  const intervals: HandInterval[] = [];
  // 100 edges out of the outside, counts only (a converted connection log), then the mix appears.
  for (let t = 0; t < 20; t++) {
    const interval: Record<string, Record<string, number>> = {};
    for (let i = 0; i < 100; i++) interval[`10.0.0.${i}>svc`] = { requests: 5 + ((t + i) % 3) };
    intervals.push(interval);
  }
  for (let t = 0; t < 10; t++) intervals.push({ 'external>front-end': { response_bytes: 100_000 + 1_000 * t, request_bytes: 4_000 + 40 * t + (t % 2) * 30 } });
  const frames = framesOf(handSnapshots(intervals));
  const mix = new RequestMixResiduals(parameters());
  for (const frame of frames.slice(0, 20)) {
    const n = mix.read(frame);
    assert.equal(n, 100);
    assert.ok([...mix.z.subarray(0, n)].every(Number.isNaN), 'no mix to judge');
    assert.ok([...mix.residual.subarray(0, n)].every(Number.isNaN), 'idle, as the interface has it');
    for (let e = 0; e < n; e++) mix.learn(e);
  }
  // From the first frame with a response metric on, the same numbers as a fit that never saw the counts-only frames.
  const fresh = new RequestMixResiduals(parameters());
  // The front door (edge 100) is observed from its first frame and scored after RESIDUAL_WARMUP (5) observations.
  const observed: boolean[] = [];
  for (const frame of frames.slice(20)) {
    mix.read(frame);
    fresh.read(frame);
    observed.push(!Number.isNaN(mix.residual[100]!));
    assert.ok([...mix.z.subarray(0, 100)].every(Number.isNaN), 'the counts-only edges stay idle');
    assert.ok(Object.is(mix.z[100], fresh.z[100]) && Object.is(mix.residual[100], fresh.residual[100]), `t = ${frame.t}: as a fresh fit`);
    mix.learn(100);
    fresh.learn(100);
  }
  assert.ok(observed.every(Boolean));
  assert.ok(!Number.isNaN(mix.z[100]!), 'scored after its warm-up');
});
