// The load regression recovers known coefficients: volumes generated as load × coefficient +
// noise, the fitted slope compared with the coefficient (or its closed-form ridge shrinkage).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoadResiduals } from '../../../src/detectors/index.ts';
import { normalQuantile } from '../../../src/detectors/linalg/index.ts';
import { solveRidge3 } from '../../../src/detectors/series/index.ts';
import type { Frame } from '../../../src/types.ts';
import { assertClose, framesOf, gaussian, handSnapshots, residualParameters as parameters, seededRandom, type HandInterval } from '../../util.ts';

/** Feed every frame, learning every edge after reading it, as a detector that never alarms does. */
function fit(residuals: LoadResiduals, frames: readonly Frame[]): void {
  for (const frame of frames) {
    const n = residuals.read(frame);
    for (let e = 0; e < n; e++) residuals.learn(e);
  }
}

test('load residuals: bytes = 3700 × requests + N(0, 800²): the slope on own demand is 3700 (ridge 0), 3700/1.01 (ridge 0.01), and σ ≈ 800', () => {
  const random = seededRandom(7);
  const noise = gaussian(8);
  const intervals: HandInterval[] = [];
  for (let t = 0; t < 400; t++) {
    const requests = 20 + Math.floor(random() * 100);
    intervals.push({ 'a>b': { requests, response_bytes: 3700 * requests + 800 * noise() } });
  }
  const frames = framesOf(handSnapshots(intervals));
  // relativeMinStd 0: the default floor (1 % of the mean volume, ~2.6 kB here) would sit above the 800-byte noise.
  const plain = new LoadResiduals(parameters({ ridge: 0, relativeMinStd: 0 }));
  fit(plain, frames);
  // Standard error of the slope ≈ 800 / (sd(requests) ≈ 29 × √(effective n ≈ 100)) ≈ 3: 10 is > 3 SE.
  assertClose(plain.slope(0, 0), 3700, 10, 'slope (ridge 0)');
  // A lone covariate's ridge solution is S_cx / ((1 + ρ) S_cc): the slope shrunk by 1/(1 + ρ).
  const ridged = new LoadResiduals(parameters({ ridge: 0.01 }));
  fit(ridged, frames);
  assertClose(ridged.slope(0, 0), 3700 / 1.01, 10, 'slope (ridge 0.01)');
  // The front door and the callers' demand never move here: no slope.
  assert.equal(plain.slope(0, 1), 0);
  assert.equal(plain.slope(0, 2), 0);
  // The robust scale of normal residuals is consistent: σ within 15 % of 800.
  assertClose(plain.sigma(0), 800, 120, 'σ');
});

test('load residuals: an own and a front-door load (the latter also the callers\' demand, collinear): slopes 3000/(1+ρ) and 800/(2+ρ) each', () => {
  const random = seededRandom(11);
  const noise = gaussian(12);
  const intervals: HandInterval[] = [];
  for (let t = 0; t < 400; t++) {
    const inbound = 50 + Math.floor(random() * 100);
    const own = 20 + Math.floor(random() * 100);
    intervals.push({
      'external>a': { requests: inbound, response_bytes: 1000 * inbound },
      'a>b': { requests: own, response_bytes: 3000 * own + 800 * inbound + 500 * noise() },
    });
  }
  const residuals = new LoadResiduals(parameters({ ridge: 0.01 }));
  fit(residuals, framesOf(handSnapshots(intervals)));
  // Edge 1 is a → b. Own demand is independent of the inbound one: β₀ = 3000/(1 + ρ).
  assertClose(residuals.slope(1, 0), 3000 / 1.01, 10, 'own slope');
  // Front door = callers' demand = inbound: the ridge system [[1+ρ, 1], [1, 1+ρ]]·β = [800, 800]
  // splits the coefficient evenly, β₁ = β₂ = 800/(2 + ρ).
  assertClose(residuals.slope(1, 1), 800 / 2.01, 10, 'front-door slope');
  assertClose(residuals.slope(1, 2), 800 / 2.01, 10, 'callers slope');
});

test('load residuals: a TCP edge in a run that records requests is fitted on its own request-direction bytes: volume = sent + received = 41 × received + N(0, 300²), slope 41, σ of the noise\'s order', () => {
  // A queue or database edge beside HTTP edges: Istio counts its bytes (istio_tcp_*) and never a
  // request. Its calls vary independently of the HTTP demand, so only its own request-direction
  // bytes can explain its volume (with an own demand of 0 its fit had nothing but its callers').
  const random = seededRandom(21);
  const noise = gaussian(22);
  const intervals: HandInterval[] = [];
  for (let t = 0; t < 400; t++) {
    const http = 20 + Math.floor(random() * 100);
    const asked = 200 + Math.floor(random() * 2000);
    intervals.push({
      'external>a': { requests: http, response_bytes: 1000 * http },
      'a>queue': { tcp_received_bytes: asked, tcp_sent_bytes: 40 * asked + 300 * noise() },
    });
  }
  // The default ridge (the front door's and the callers' demand are the same series here: collinear).
  const residuals = new LoadResiduals(parameters({ relativeMinStd: 0 }));
  fit(residuals, framesOf(handSnapshots(intervals)));
  // Edge 1 is a → queue; the volume regressed is every byte metric, sent + received = 41 × asked.
  // Standard error of the slope ≈ 300 / (sd(asked) ≈ 577 × √(effective n ≈ 100)) ≈ 0.05: 0.3 is > 5 SE.
  assertClose(residuals.slope(1, 0), 41, 0.3, 'own slope (bytes per request-direction byte)');
  // The front door's requests do not move it: their slope, fitted on independent draws, is near 0 (its SE ≈ 300 / (29 × 10) ≈ 1).
  assertClose(residuals.slope(1, 1), 0, 5, 'front-door slope');
  // Its residual scale is the noise's, not the volume's spread: without an own demand the fit
  // could explain nothing of it and σ would be ~41 × sd(asked) ≈ 41 × 577 ≈ 23,700 bytes. (Within
  // 2× the noise's 300: a robust scale with forgetting, effective n ≈ 100, reads 300-360 here.)
  assert.ok(residuals.sigma(1) > 150 && residuals.sigma(1) < 600, `σ ${residuals.sigma(1)}`);
});

test('load residuals: predicted from the past alone; an excess of 10σ reads z ≈ 10; idle intervals are not scored', () => {
  const random = seededRandom(3);
  const noise = gaussian(4);
  const intervals: HandInterval[] = [];
  for (let t = 0; t < 200; t++) {
    const requests = 20 + Math.floor(random() * 100);
    intervals.push({ 'a>b': { requests, response_bytes: 3700 * requests + 800 * noise() } });
  }
  intervals.push({ 'a>b': { requests: 60, response_bytes: 3700 * 60 + 8000 } });
  intervals.push({ 'c>d': { requests: 1, response_bytes: 10 } });
  const frames = framesOf(handSnapshots(intervals));
  const residuals = new LoadResiduals(parameters({ relativeMinStd: 0 }));
  fit(residuals, frames.slice(0, 200));
  residuals.read(frames[200]!);
  // The scale follows the last ~10-20 residuals (scaleLambda 0.1), so σ̂ is within ~±25 % of 800: z in 10 ± 3.
  assertClose(residuals.z[0]!, 10, 3, 'z');
  assertClose(residuals.residual[0]!, 8000, 4 * 800, 'residual in bytes');
  // value(e) is the edge's bytes as read: 3700 × 60 + 8000 = 230,000.
  assert.equal(residuals.value(0), 230_000);
  // Next interval a → b is idle: no observation, no value; c → d's first observation has residual 0 (it only starts its fit) and its bytes as value.
  residuals.read(frames[201]!);
  assert.ok(Number.isNaN(residuals.z[0]!));
  assert.equal(residuals.isScored(0), false);
  assert.ok(Number.isNaN(residuals.value(0)));
  assert.equal(residuals.residual[1], 0);
  assert.equal(residuals.value(1), 10);
});

test('load residuals: an edge idle for more than forgetAfterSeconds is forgotten (its fit starts over), not one idle for exactly that long', () => {
  // One-second intervals; a → b carries 100 requests × 1000 bytes (+ t) each active interval.
  const active = (t: number): HandInterval => ({ 'a>b': { requests: 100, response_bytes: 100_000 + t }, 'x>y': { requests: 1, response_bytes: 10 } });
  const idle: HandInterval = { 'x>y': { requests: 1, response_bytes: 10 } };
  const intervals: HandInterval[] = [];
  // Active at t = 1 … 10, idle 11 … 29, active again at 30 (30 − 10 = 20 s after its last activity: exactly forgetAfterSeconds),
  // idle 31 … 50, active again at 51 … 60 (51 − 30 = 21 s > 20: forgotten).
  for (let t = 1; t <= 60; t++) intervals.push(t <= 10 || t === 30 || t >= 51 ? active(t) : idle);
  const frames = framesOf(handSnapshots(intervals));
  const residuals = new LoadResiduals(parameters({ forgetAfterSeconds: 20 }));
  const scoredAt: number[] = [];
  frames.forEach((frame, i) => {
    const n = residuals.read(frame);
    if (residuals.isScored(0)) scoredAt.push(i + 1);
    for (let e = 0; e < n; e++) residuals.learn(e);
  });
  // Observations 1-5 warm the fit up (t = 1 … 5), so a → b is scored from its 6th on: t = 6 … 10, then at t = 30 (its fit
  // kept: idle exactly 20 s). At t = 51 it starts over: observations 1-5 again at t = 51 … 55, scored from t = 56.
  assert.deepEqual(scoredAt, [6, 7, 8, 9, 10, 30, 56, 57, 58, 59, 60]);
  assert.equal(residuals.holdsFit(0), true);
  assert.equal(residuals.holdsFit(1), true, 'x → y, active every interval, keeps its fit');
});

test('load residuals: the fits of edges idle for long are let go (memory follows the edges active lately, not all ever seen)', () => {
  // 400 one-off edges, one new each one-second interval, and one busy edge; forgetting after 50 s.
  const intervals: HandInterval[] = [];
  for (let t = 1; t <= 400; t++) intervals.push({ 'a>b': { requests: 10, response_bytes: 5000 + t }, [`n${t}>b`]: { requests: 1, response_bytes: 100 } });
  const frames = framesOf(handSnapshots(intervals));
  const residuals = new LoadResiduals(parameters({ forgetAfterSeconds: 50 }));
  fit(residuals, frames);
  const held = Array.from({ length: frames.at(-1)!.edges.size }, (_, e) => residuals.holdsFit(e)).filter(Boolean).length;
  // Swept every 12.5 s, so between the edges of the last 50 s and of the last 62.5 s, and a → b: 51 to 64.
  assert.ok(held >= 51 && held <= 64, `fits held: ${held}`);
});

test('load residuals: a 1e9-byte edge varying by ±20 bytes keeps its digits (centred cross-products)', () => {
  const noise = gaussian(5);
  const random = seededRandom(6);
  const intervals: HandInterval[] = [];
  for (let t = 0; t < 300; t++) {
    const requests = 100 + Math.floor(random() * 10);
    intervals.push({ 'a>b': { requests, response_bytes: 1e9 + 50 * requests + 20 * noise() } });
  }
  const residuals = new LoadResiduals(parameters({ ridge: 0, relativeMinStd: 0 }));
  fit(residuals, framesOf(handSnapshots(intervals)));
  // sd(requests) ≈ 2.9 → slope SE ≈ 20 / (2.9 × 10) ≈ 0.7.
  assertClose(residuals.slope(0, 0), 50, 3, 'slope');
  assertClose(residuals.sigma(0), 20, 4, 'σ');
});

/** Gaussian elimination with partial pivoting by loops over a 3 × 4 augmented matrix: the textbook form solveRidge3 unrolls. */
function solveByLoops(scc: Float64Array, scx: Float64Array, ridge: number): Float64Array {
  const a = Float64Array.of(scc[0]!, scc[1]!, scc[2]!, scx[0]!, scc[1]!, scc[3]!, scc[4]!, scx[1]!, scc[2]!, scc[4]!, scc[5]!, scx[2]!);
  const top = Math.max(a[0]!, a[5]!, a[10]!);
  for (let j = 0; j < 3; j++) {
    const d = a[j * 5]!;
    if (d > 0 && d > 1e-12 * top) a[j * 5] = d * (1 + ridge);
    else {
      for (let c = 0; c < 4; c++) a[j * 4 + c] = 0;
      for (let r = 0; r < 3; r++) a[r * 4 + j] = 0;
      a[j * 5] = 1;
    }
  }
  for (let c = 0; c < 3; c++) {
    let pivot = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(a[r * 4 + c]!) > Math.abs(a[pivot * 4 + c]!)) pivot = r;
    for (let q = 0; q < 4; q++) [a[c * 4 + q], a[pivot * 4 + q]] = [a[pivot * 4 + q]!, a[c * 4 + q]!];
    for (let r = c + 1; r < 3; r++) {
      const m = a[r * 4 + c]! / a[c * 5]!;
      for (let q = c; q < 4; q++) a[r * 4 + q]! -= m * a[c * 4 + q]!;
    }
  }
  const beta = new Float64Array(3);
  for (let r = 2; r >= 0; r--) {
    if (!(Math.abs(a[r * 5]!) > 1e-9 * top)) continue;
    let v = a[r * 4 + 3]!;
    for (let q = r + 1; q < 3; q++) v -= a[r * 4 + q]! * beta[q]!;
    beta[r] = v / a[r * 5]!;
  }
  return beta;
}

test('solveRidge3: bit for bit the textbook elimination by loops, on random, badly scaled, pivoting and degenerate systems, for both right-hand sides', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const beta = new Float64Array(3);
  const second = new Float64Array(3);
  let pivoted = 0;
  for (let trial = 0; trial < 20_000; trial++) {
    // Cross-products of random covariates (positive semi-definite), some scaled by 1e9 (byte
    // counters), some columns dead or duplicated (collinear), ridge 0 or 0.01.
    const c = [0, 1, 2].map(() => Array.from({ length: 4 }, () => random() - 0.5));
    const kind = trial % 5;
    if (kind === 1) c[0] = c[0]!.map((v) => v * 1e9);
    if (kind === 2) c[1] = c[1]!.map(() => 0);
    if (kind === 3) c[2] = c[0]!.slice();
    if (kind === 4) c[trial % 3] = c[trial % 3]!.map((v) => v * 1e-7);
    const y = Array.from({ length: 4 }, () => random() - 0.5);
    const dot = (u: number[], v: number[]) => u.reduce((s, ui, i) => s + ui * v[i]!, 0);
    const scc = Float64Array.of(dot(c[0]!, c[0]!), dot(c[0]!, c[1]!), dot(c[0]!, c[2]!), dot(c[1]!, c[1]!), dot(c[1]!, c[2]!), dot(c[2]!, c[2]!));
    // Off-diagonal entries larger than the diagonal ones (not a Gram matrix) force row swaps.
    if (trial % 7 === 0) {
      scc[1] = 3 * scc[0]! + 1;
      scc[2] = -2 * scc[3]! - 1;
      pivoted++;
    }
    const scx = Float64Array.of(dot(c[0]!, y), dot(c[1]!, y), dot(c[2]!, y));
    const ridge = trial % 2 === 0 ? 0 : 0.01;
    const padded = new Float64Array(10);
    padded.set(scc, 4);
    // The second right-hand side (a leverage's departure d) rides along: the same bits as the
    // loops solving for d alone, and β's bits unchanged by it.
    const d = Float64Array.of(random() - 0.5, (random() - 0.5) * 1e6, random() - 0.5);
    solveRidge3(padded, 4, Float64Array.of(9, ...scx), 1, ridge, beta, d, second);
    const expected = solveByLoops(scc, scx, ridge);
    for (let j = 0; j < 3; j++) assert.ok(Object.is(beta[j], expected[j]), `trial ${trial}: β${j} ${beta[j]} ≠ ${expected[j]}`);
    const expectedSecond = solveByLoops(scc, d, ridge);
    for (let j = 0; j < 3; j++) assert.ok(Object.is(second[j], expectedSecond[j]), `trial ${trial}: second solution ${j} ${second[j]} ≠ ${expectedSecond[j]}`);
  }
  assert.ok(pivoted > 2000);
});

test('solveRidge3: a 3 × 3 system with a known solution, by hand', () => {
  // S = [[4, 2, 0], [2, 3, 1], [0, 1, 2]], β = (1, −1, 2): S β = (2, 1, 3).
  const scc = Float64Array.of(4, 2, 0, 3, 1, 2);
  const beta = new Float64Array(3);
  solveRidge3(scc, 0, Float64Array.of(2, 1, 3), 0, 0, beta);
  [1, -1, 2].forEach((b, j) => assertClose(beta[j]!, b, 1e-12, `β${j}`));
  // A covariate that never moved (zero spread) gets slope 0; the others solve their own 2 × 2 system:
  // [[4, 2], [2, 3]] β = (2, 1) → β = (0.5, 0).
  solveRidge3(Float64Array.of(4, 2, 0, 3, 0, 0), 0, Float64Array.of(2, 1, 0), 0, 0, beta);
  [0.5, 0, 0].forEach((b, j) => assertClose(beta[j]!, b, 1e-12, `β${j} with a dead covariate`));
});

test('load residuals, self-starting: the prediction error widened by √(1 + 1/n + d²/((1 + ρ)·S_cc)), the textbook variance of a regression line\'s prediction, and mapped through ν = n − 3 (Student, closed form at ν = 2)', () => {
  // A noiseless line, bytes = 3700 × requests + 5000: once two observations fix it every
  // residual is 0, so every Huber weight is 1 and the fit is the plain least-squares line (ridge
  // 0; memory 1e12 intervals, no forgetting to speak of). Observation 2, predicted from one
  // point, carries the unknown slope, but the start-up scale is the median of 4 residuals (0 here).
  const requests = [20, 35, 50, 65, 110];
  const intervals: HandInterval[] = requests.map((c) => ({ 'a>b': { requests: c, response_bytes: 3700 * c + 5000 } }));
  // The probe: far outside the load seen (d = 300 − c̄), 777 bytes above the line.
  const probe = 300;
  intervals.push({ 'a>b': { requests: probe, response_bytes: 3700 * probe + 5000 + 777 } });
  const frames = framesOf(handSnapshots(intervals));
  for (const ridge of [0, 0.5]) {
    const residuals = new LoadResiduals(parameters({ selfStarting: true, ridge, memoryIntervals: 1e12, relativeMinStd: 0, minStd: 1 }));
    fit(residuals, frames.slice(0, requests.length));
    residuals.read(frames[requests.length]!);
    // By hand: n = 5, c̄ = 56, S_cc = Σ(c − c̄)² = 36² + 21² + 6² + 9² + 54² = 4770, d = 244.
    const n = 5;
    const mean = 56;
    const scc = 4770;
    const d = probe - mean;
    const inflation = Math.sqrt(1 + 1 / n + (d * d) / ((1 + ridge) * scc));
    assertClose(residuals.inflation(0), inflation, 1e-9 * inflation, `ridge ${ridge}: √(1 + h)`);
    if (ridge === 0) {
      // The line is exact: the residual is the 777 bytes, the scale its 1-byte floor (every residual
      // the start-up saw but one was 0), and after 5 observations ν = 2.
      assertClose(residuals.residual[0]!, 777, 1e-6, 'residual');
      assert.equal(residuals.sigma(0), 1);
      const t = 777 / inflation;
      const tail = 0.5 - t / (2 * Math.sqrt(t * t + 2));
      assertClose(residuals.z[0]!, -normalQuantile(tail), 1e-9, 'z: the normal deviate of t₂\'s tail');
    }
  }
  // Not self-starting: no widening, no map: z is the residual over the scale.
  const plain = new LoadResiduals(parameters({ ridge: 0, memoryIntervals: 1e12, relativeMinStd: 0, minStd: 1 }));
  fit(plain, frames.slice(0, requests.length));
  plain.read(frames[requests.length]!);
  assert.equal(plain.inflation(0), 1);
  assertClose(plain.z[0]!, 777, 1e-6, 'plain z');
});

test('load residuals, demandUnitFloor: where demand is counted in requests the scale never drops below f × the bytes one request moves (the largest slope); byte demand gets no such floor', () => {
  // A noiseless line, bytes = 3700 × requests + 5000, fitted exactly (ridge 0): every residual
  // is 0, so the scale rests on its 1-byte floor. The probe lies 777 bytes above the line.
  const requests = [20, 35, 50, 65, 110];
  const probe = 300;
  const counted: HandInterval[] = requests.map((c) => ({ 'a>b': { requests: c, response_bytes: 3700 * c + 5000 } }));
  counted.push({ 'a>b': { requests: probe, response_bytes: 3700 * probe + 5000 + 777 } });
  const countFrames = framesOf(handSnapshots(counted));
  const exact = { ridge: 0, memoryIntervals: 1e12, relativeMinStd: 0, minStd: 1 };
  for (const [floor, sigma] of [
    [0, 1],
    [1, 3700],
    [0.5, 1850],
  ] as const) {
    const residuals = new LoadResiduals(parameters({ ...exact, demandUnitFloor: floor }));
    fit(residuals, countFrames.slice(0, requests.length));
    residuals.read(countFrames[requests.length]!);
    assertClose(residuals.sigma(0), sigma, 1e-6 * sigma, `floor ${floor}: σ`);
    assertClose(residuals.z[0]!, 777 / sigma, 1e-6, `floor ${floor}: z = 777 / σ`);
  }
  // The same line with demand in bytes (no requests metric: 100 request bytes a unit of load):
  // x = 100c + 3700c + 5000, slope 38 per byte of demand, but a byte is no unit of demand.
  const bytes: HandInterval[] = requests.map((c) => ({ 'a>b': { request_bytes: 100 * c, response_bytes: 3700 * c + 5000 } }));
  bytes.push({ 'a>b': { request_bytes: 100 * probe, response_bytes: 3700 * probe + 5000 + 777 } });
  const byteFrames = framesOf(handSnapshots(bytes));
  const residuals = new LoadResiduals(parameters({ ...exact, demandUnitFloor: 1 }));
  fit(residuals, byteFrames.slice(0, requests.length));
  residuals.read(byteFrames[requests.length]!);
  assertClose(residuals.slope(0, 0), 38, 1e-6, 'slope per byte of demand');
  assert.equal(residuals.sigma(0), 1);
  assertClose(residuals.z[0]!, 777, 1e-6, 'byte demand: no floor');
});
