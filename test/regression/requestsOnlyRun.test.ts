// Regression (issue 19, item 4): on a run holding only `requests` (a converted connection log)
// every volume detector warned that none of its byte metrics appear and scored 0 on every
// interval, so a tenfold burst of requests went unseen. With the default metric lists they now
// watch `requests` instead; a run that has byte metrics keeps watching bytes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlChart, ewma, pcaSubspace } from '../../src/detectors/index.ts';
import { fallbackMetrics, BYTE_METRICS, COUNT_METRICS } from '../../src/detectors/options.ts';
import type { Snapshot } from '../../src/types.ts';
import { benignRun } from '../detectors/benignRuns.ts';
import { judgeSnapshots } from '../util.ts';

const ATTACK = 600;

/** A steady run reduced to `requests` (or kept whole), with edge 5's requests ×10 at interval ATTACK. */
function run(requestsOnly: boolean): { snapshots: Snapshot[]; attacked: string } {
  const snapshots = benignRun({ shape: 'steady', edges: 14, intervals: 700, seed: 4242 }).map((s, i) => ({
    ...s,
    edges: s.edges.map((e, k) => {
      const burst = i === ATTACK && k === 5 ? 10 : 1;
      const requests = (e.values['requests'] ?? 0) * burst;
      return { ...e, values: requestsOnly ? { requests } : { ...e.values, requests } };
    }),
  }));
  const e = snapshots[ATTACK]!.edges[5]!;
  return { snapshots, attacked: `${e.src}>${e.dst}` };
}

for (const [name, make] of [
  ['ewma', () => ewma({}, { trainingSeconds: 60 })],
  ['control-chart', () => controlChart({}, { trainingSeconds: 60 })],
  ['pca-subspace', () => pcaSubspace({}, { trainingSeconds: 60 })],
] as const) {
  test(`${name}: a run with only requests is judged on requests (a tenfold burst alarms and is blamed)`, () => {
    const { snapshots, attacked } = run(true);
    const v = judgeSnapshots(snapshots, make());
    const scored = v.filter((x) => !x.training);
    assert.ok(scored.some((x) => x.score !== 0), `${name} scored 0 on every interval`);
    const hit = v[ATTACK]!;
    assert.ok(hit.alarm, `${name}: no alarm on the burst (score ${hit.score}, threshold ${hit.threshold})`);
    assert.equal(`${hit.blamed[0]!.src}>${hit.blamed[0]!.dst}`, attacked);
  });
}

test('a run with byte metrics keeps watching bytes: a burst of requests alone does not move ewma', () => {
  const { snapshots } = run(false);
  const v = judgeSnapshots(snapshots, ewma({}, { trainingSeconds: 60 }));
  assert.equal(v[ATTACK]!.alarm, false);
});

test('fallbackMetrics: default byte list ↔ count list, any other list kept', () => {
  assert.deepEqual(fallbackMetrics([...BYTE_METRICS].reverse()), COUNT_METRICS);
  assert.deepEqual(fallbackMetrics(['tcp_connections', 'requests']), BYTE_METRICS);
  assert.equal(fallbackMetrics(['request_bytes']), undefined);
});
