// Regression (issue 13): control-chart computed its variance as Σx² − n·mean², which on an edge
// carrying ~1e9 bytes ± 20 cancels to rounding noise (it alarmed on 21 % of intervals); and its
// σ floor was 1 byte, so a 5 kB health check every 40th interval, judged against a window of
// zeros, alarmed 10 times out of 10.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlChart, ewma } from '../../src/detectors/index.ts';
import type { Snapshot } from '../../src/types.ts';
import { gaussian, judgeSnapshots } from '../util.ts';

test('control-chart: an edge carrying 1e9 ± 20 bytes keeps its variance and alarms at the promised rate', () => {
  // With the shifted sums the window's σ is that of the ±20 noise, the edge is an ordinary
  // normal series, and the calibrated limit (one series) alarms on ~1 % of intervals.
  const g = gaussian(3);
  const snapshots: Snapshot[] = Array.from({ length: 2000 }, (_, i) => ({
    t: i + 1,
    dt: 1,
    gap: false,
    edges: [{ src: 'carts', dst: 'carts-db', values: { tcp_sent_bytes: Math.round(1e9 + 20 * g()) } }],
  }));
  const verdicts = judgeSnapshots(snapshots, controlChart({ relativeMinStd: 0 }, { trainingSeconds: 60 })).filter((v) => !v.training);
  const rate = verdicts.filter((v) => v.alarm).length / verdicts.length;
  assert.ok(rate >= 0.004 && rate <= 0.02, `alarm rate ${rate.toFixed(4)} (was 0.21)`);
  // And the σ it uses is the noise's: a +200-byte step (10σ) alarms.
  const step = snapshots.map((s, i) => (i === 1500 ? { ...s, edges: [{ ...s.edges[0]!, values: { tcp_sent_bytes: s.edges[0]!.values.tcp_sent_bytes! + 200 } }] } : s));
  assert.ok(judgeSnapshots(step, controlChart({ relativeMinStd: 0 }, { trainingSeconds: 60 }))[1500]!.alarm);
});

for (const [name, detector] of [
  ['control-chart', () => controlChart({}, { trainingSeconds: 60 })],
  ['ewma', () => ewma({}, { trainingSeconds: 60 })],
] as const) {
  test(`${name}: a 5 kB health check every 40th interval is judged against earlier health checks, so it never alarms`, () => {
    // A busy neighbour keeps the calibration fed; the health check is silent in between. After
    // the five checks that start its estimates, each later check (5,000 ± 20 bytes against a
    // level of ~5,000 with σ floored at 1 % of it, 50 bytes) scores |z| < 1.
    const g = gaussian(9);
    const snapshots: Snapshot[] = Array.from({ length: 40 * 16 }, (_, i) => {
      const busy = { src: 'front-end', dst: 'catalogue', values: { response_bytes: Math.round(80_000 + 8000 * g()) } };
      const check = { src: 'kubelet', dst: 'user', values: { response_bytes: Math.round(5000 + 20 * g()) } };
      return { t: i + 1, dt: 1, gap: false, edges: i % 40 === 39 ? [busy, check] : [busy] };
    });
    const verdicts = judgeSnapshots(snapshots, detector());
    const checks = verdicts.filter((v, i) => i % 40 === 39 && !v.training);
    assert.ok(checks.length >= 10, `${checks.length} health checks judged`);
    const blamedCheck = checks.filter((v) => v.blamed.some((b) => b.src === 'kubelet'));
    assert.equal(blamedCheck.length, 0, `health check blamed in ${blamedCheck.length} of ${checks.length} intervals (was 10 of 10)`);
  });
}
