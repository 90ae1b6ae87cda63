import { it } from 'node:test';
import assert from 'node:assert/strict';
import { scoreChart } from '../../src/report/charts/index.ts';

// Bug (issue 16): score charts mixed scales. ewma scores up to 450,000 on a linear axis
// flattened a threshold of 3 and every false alarm below the first pixel; another detector
// got a log axis labelled "100,000.0". Every detector now draws score ÷ threshold on a log
// axis (1 = the threshold, decade labels only).
it('draws a threshold of 3 under scores of 450,000 as 1 on a log axis with decade labels', () => {
  const points = [0.5, 2.9, 4.2, 450_000, 1.1].map((score, i) => ({ x: 2 * i, score, threshold: 3, alarm: score > 3 }));
  const config = scoreChart({ detector: 'ewma', color: '#000', points, shading: { attacks: [], gaps: [] }, intervalSeconds: 2, xMax: 10 });
  const y = config.options!.scales!['y'] as { type: string; min: number; max: number; ticks: { callback: (v: number) => string } };
  assert.equal(y.type, 'logarithmic');
  const [score, limit, alarms] = config.data.datasets as { data: { y: number }[] }[];
  // The false alarm (4.2) stands 1.4 times above the limit, visibly, not flattened at 0.
  assert.deepEqual(score!.data.map((p) => p.y), [0.5 / 3, 2.9 / 3, 4.2 / 3, 150_000, 1.1 / 3]);
  assert.deepEqual(limit!.data.map((p) => p.y), [1, 1]);
  assert.deepEqual(alarms!.data.map((p) => p.y), [4.2 / 3, 150_000]);
  assert.deepEqual([y.min, y.max], [0.1, 1e6]);
  assert.deepEqual([1e5, 2e5, 1, 0.1].map(y.ticks.callback), ['1e+5', '', '1', '0.1']);
});
