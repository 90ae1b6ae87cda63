import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidatePaths, path, PathCore, pathOptionsSchema } from '../../../src/detectors/path/index.ts';
import { OutsideNodes } from '../../../src/detectors/series/index.ts';
import { alarmLimit } from '../../../src/detectors/stats/index.ts';
import { assertClose } from '../../util.ts';
import { HandResiduals } from '../handResiduals.ts';
import { injectedAttack } from '../injectedAttack.ts';

// A small Sock Shop: two data stores, a detour through orders, the front door.
const EDGES: [string, string][] = [
  ['user', 'user-db'], // 0
  ['front-end', 'user'], // 1
  ['external', 'front-end'], // 2
  ['front-end', 'catalogue'], // 3
  ['catalogue', 'catalogue-db'], // 4
  ['orders', 'user'], // 5
  ['front-end', 'orders'], // 6
  ['user', 'external'], // 7, first seen after training
];
const OPTIONS = { maxHops: 4, maxPaths: 100, sensitive: [], outside: new Set(['external']), winsorizeAt: 4 };

test('candidate paths: every simple path from a data store to external within maxHops, edges taken either way, shortest first', () => {
  const links = EDGES.slice(0, 7).map(([a, b], id) => ({ a, b, id }));
  const names = (max: number) => candidatePaths(links, ['user-db', 'catalogue-db'], OPTIONS.outside, max, 100).paths.map((p) => p.nodes.join(' '));
  assert.deepEqual(names(4).sort(), ['catalogue-db catalogue front-end external', 'user-db user front-end external', 'user-db user orders front-end external'].sort());
  assert.deepEqual(names(3).sort(), ['catalogue-db catalogue front-end external', 'user-db user front-end external'].sort());
  assert.deepEqual(names(2), []);
  assert.deepEqual(
    candidatePaths(links, ['user-db'], OPTIONS.outside, 4, 100).paths.map((p) => p.hops),
    [
      [0, 1, 2],
      [0, 5, 6, 2],
    ],
  );
});

test('path: score = max over paths of Σ hop z / √hops, by hand; the winning path\'s edges blamed; a new edge into external becomes a one-hop path', () => {
  const N = Number.NaN;
  const residuals = new HandResiduals(EDGES, [
    [0, 0, 0, 0, 0, 0, 0], // training: every edge active
    [2, 1.5, 1, 3, -1, 0.5, 0.2],
    [0, 0, 0, 0, 0, 0, 0, 2.5],
    [N, 1, 1, N, N, N, N, 0],
  ]);
  const core = new PathCore(residuals, OPTIONS, alarmLimit({ k: 2 }, 0.01));
  core.train(residuals.frame(7));
  assert.equal(core.candidates.length, 3);
  // user-db·user·front-end·external: (2 + 1.5 + 1)/√3 = 2.598; via orders: (2 + 0.5 + 0.2 + 1)/2 = 1.85;
  // catalogue-db·catalogue·front-end·external: (−1 + 3 + 1)/√3 = 1.732.
  const first = core.judge(residuals.frame(7));
  assertClose(first.score, 4.5 / Math.sqrt(3), 1e-12, 'score');
  assert.ok(first.score > first.threshold);
  assert.deepEqual(
    first.blamed.map((b) => `${b.src}>${b.dst}:${b.score}`),
    ['user>user-db:2', 'front-end>user:1.5', 'external>front-end:1'],
  );
  // The blamed edges keep their fits; the rest learn.
  assert.deepEqual(residuals.learnt[1], [3, 4, 5, 6]);
  // user → external appears: its own path, 2.5/√1, and the end of user-db → user and of
  // catalogue-db → catalogue → front-end → user (3 inside hops; via orders it would take 4).
  const second = core.judge(residuals.frame(8));
  assert.deepEqual(core.candidates.slice(3).map((c) => c.join(' ')), ['user external', 'user-db user external', 'catalogue-db catalogue front-end user external']);
  // Scored from its first read (a hand-fed z), the new link closes its exit hops at once: its one-hop path's 2.5 is the best.
  assertClose(second.score, 2.5, 1e-12, 'new edge path');
  assert.deepEqual(second.blamed.map((b) => `${b.src}>${b.dst}`), ['user>external']);
  // Unscored hops count 0: (0 + 1 + 1)/√3 beats (0 + 1 + 0 + 1)/2 = 1 and user → external's 0.
  const third = core.judge(residuals.frame(8));
  assertClose(third.score, 2 / Math.sqrt(3), 1e-12, 'unscored hops');
  assert.equal(third.blamed.length, 0);
});

test('path: an exit hop whose new link warms up counts z_before · min(1, bytes / r_before), by hand; closed while the link is idle and once it is scored; its one-hop path its own z alone', () => {
  const N = Number.NaN;
  // user → user-db's z and residual (bytes), user → external's bytes while it warms up (z NaN).
  const rows = [
    [0, 0, 0, 0, 0, 0, 0], // training
    [6, 0, 0, 0, 0, 0, 0, N], // 300 kB out, 200 kB of excess on user → user-db: min(1, 1.5) = 1
    [6, 0, 0, 0, 0, 0, 0, N], // 50 kB out: a quarter of the excess
    [-2, 0, 0, 0, 0, 0, 0, N], // no excess before it: 0
    [6, 0, 0, 0, 0, 0, 0, N], // the new link idle: the exit hop closes
    [6, 0, 0, 0, 0, 0, 0, 0.5], // scored: the exit hop closes
  ];
  const residualRows = [undefined, [200_000, 0, 0, 0, 0, 0, 0, 0], [200_000, 0, 0, 0, 0, 0, 0, 0], [-70_000, 0, 0, 0, 0, 0, 0, 0], [200_000, 0, 0, 0, 0, 0, 0, N], [200_000, 0, 0, 0, 0, 0, 0, 9]];
  const valueRows = [undefined, [1, 1, 1, 1, 1, 1, 1, 300_000], [1, 1, 1, 1, 1, 1, 1, 50_000], [1, 1, 1, 1, 1, 1, 1, 300_000], [1, 1, 1, 1, 1, 1, 1, N], [1, 1, 1, 1, 1, 1, 1, 9]];
  const residuals = new HandResiduals(EDGES, rows, [], valueRows, residualRows);
  const core = new PathCore(residuals, { ...OPTIONS, winsorizeAt: 8 }, alarmLimit({ k: 2 }, 0.01));
  core.train(residuals.frame(7));
  // (6 + 6)/√2 = 8.485 beats user-db → user → front-end → external's 6/√3 and the one-hop path's 0.
  const full = core.judge(residuals.frame(8));
  assertClose(full.score, 12 / Math.sqrt(2), 1e-12, 'full share');
  assert.ok(full.score > full.threshold);
  assert.deepEqual(full.blamed.map((b) => `${b.src}>${b.dst}:${b.score}`), ['user>user-db:6', 'user>external:6']);
  // (6 + 6 · 50/200)/√2 = 5.303.
  assertClose(core.judge(residuals.frame(8)).score, 7.5 / Math.sqrt(2), 1e-12, 'quarter share');
  // user → user-db at −2 gives the exit hop 0: (−2 + 0)/√2 loses to catalogue-db's path of zeros, 0.
  assertClose(core.judge(residuals.frame(8)).score, 0, 1e-12, 'no excess before it');
  // Idle, closed: user-db → user → front-end → external's 6/√3, not (6 + 0)/√2 = 4.24.
  assertClose(core.judge(residuals.frame(8)).score, 6 / Math.sqrt(3), 1e-12, 'closed while idle');
  // Closed: user-db → user → front-end → external's 6/√3 beats the one-hop path's 0.5 (and (6 + 0.5)/√2 is no longer a path's).
  assertClose(core.judge(residuals.frame(8)).score, 6 / Math.sqrt(3), 1e-12, 'closed once scored');
});

test('path: an interval with no hop scored scores 0 and, over a limit below 0, alarms blaming nothing (no best path to blame)', () => {
  const N = Number.NaN;
  const residuals = new HandResiduals(EDGES.slice(0, 7), [
    [0, 0, 0, 0, 0, 0, 0],
    [N, N, N, N, N, N, N],
  ]);
  const belowZero = { limit: () => -1, learn: () => {} };
  const core = new PathCore(residuals, OPTIONS, belowZero);
  core.train(residuals.frame(7));
  const judged = core.judge(residuals.frame(7));
  assert.deepEqual({ score: judged.score, threshold: judged.threshold, blamed: judged.blamed }, { score: 0, threshold: -1, blamed: [] });
});

test('path: a run naming no data store makes every node a source', () => {
  const residuals = new HandResiduals(
    [
      ['external', 'svc-0'],
      ['svc-0', 'svc-1'],
    ],
    [
      [0, 0],
      [1, 3],
      [0, 9],
    ],
  );
  const core = new PathCore(residuals, OPTIONS, alarmLimit({ k: 2 }, 0.01));
  core.train(residuals.frame());
  assert.deepEqual(core.candidates.map((c) => c.join(' ')).sort(), ['svc-0 external', 'svc-1 svc-0 external']);
  assertClose(core.judge(residuals.frame()).score, 4 / Math.sqrt(2), 1e-12, 'score');
  // A hop's z is winsorised at 4: (0 + 4)/√2, not (0 + 9)/√2.
  assertClose(core.judge(residuals.frame()).score, 4 / Math.sqrt(2), 1e-12, 'winsorised');
});

test('path: a small exfiltration injected along user-db → user → front-end → external is caught and blamed on exactly its three edges', () => {
  const { attackVerdicts } = injectedAttack(path(), 12_000);
  const alarmed = attackVerdicts.filter((v) => v.alarm);
  // 12 kB per 2-s interval is ~3σ on user → user-db and front-end → user and ~0.5σ on the front door.
  assert.ok(alarmed.length >= 0.8 * attackVerdicts.length, `${alarmed.length}/${attackVerdicts.length} attack intervals alarmed`);
  for (const v of alarmed) {
    assert.deepEqual(v.blamed.map((b) => `${b.src}>${b.dst}`).sort(), ['external>front-end', 'front-end>user', 'user>user-db']);
  }
});

test('path: an API scrape (one 300-B request per 400 B pulled, 6 kB an interval) hides from the volume residuals, the request mix catches it on the front door', () => {
  // The scrape's 15 requests per interval raise the front door's demand, which explains the
  // bytes the scrape adds to the inner hops; what the requests themselves add, ~3σ of the front
  // door's requests given its responses (~40 requests per 250 kB, Poisson), is the evidence left.
  let volumeOnly = 0;
  let withMix = 0;
  let attacks = 0;
  for (const seed of [21, 22, 23]) {
    const plain = injectedAttack(path({ requestMix: false }), 6_000, seed, { bytesPerRequest: 400 });
    const mixed = injectedAttack(path(), 6_000, seed, { bytesPerRequest: 400 });
    volumeOnly += plain.attackVerdicts.filter((v) => v.alarm).length;
    withMix += mixed.attackVerdicts.filter((v) => v.alarm).length;
    attacks += mixed.attackVerdicts.length;
    for (const v of mixed.attackVerdicts.filter((x) => x.alarm)) {
      // The inner hops' evidence is small (the demand explains it), so any path through the front
      // door may win: the front door is what is blamed for sure.
      const blamed = v.blamed.map((b) => `${b.src}>${b.dst}`);
      assert.ok(blamed.includes('external>front-end'), `blamed ${blamed.join(', ')}`);
    }
  }
  assert.ok(volumeOnly <= 0.1 * attacks, `volume residuals alone: ${volumeOnly}/${attacks}`);
  assert.ok(withMix >= 0.9 * attacks, `with the request mix: ${withMix}/${attacks}`);
});

test('outside nodes: the names given, and with addresses every node named by an IP address (a peer without a workload identity)', () => {
  const outside = new OutsideNodes(['external', 'unknown'], true);
  for (const node of ['external', 'unknown', '172.17.0.1', '10.0.0.12', 'fe80::1']) assert.equal(outside.has(node), true, node);
  for (const node of ['user', 'user-db', 'load-test', 'svc-0', 'v1.2']) assert.equal(outside.has(node), false, node);
  assert.equal(new OutsideNodes(['external'], false).has('172.17.0.1'), false);
  // Munnin's 2018 runs: the attacker comes in through Docker's host gateway.
  const links = [
    { a: 'user', b: 'user-db', id: 0 },
    { a: 'front-end', b: 'user', id: 1 },
    { a: '172.17.0.1', b: 'front-end', id: 2 },
    { a: '172.17.0.1', b: 'user', id: 3 },
  ];
  assert.deepEqual(
    candidatePaths(links, ['user-db'], outside, 4, 100).paths.map((p) => p.nodes.join(' ')),
    ['user-db user 172.17.0.1', 'user-db user front-end 172.17.0.1'],
  );
});

test('path, two intervals: the larger of Σz/√hops and Σ(z(t − 1) + z(t))/√(2·hops), by hand; no pair after an alarm or across a gap; hops clipped before they pair; the limit learns what is judged', () => {
  const edges: [string, string][] = [
    ['user', 'user-db'],
    ['front-end', 'user'],
    ['external', 'front-end'],
  ];
  const all = (v: number) => [v, v, v];
  // Read n ends at ends[n] (1-s intervals; 5.003 etc.: a read stamped a few ms late still follows).
  const rows = [all(1), all(1), all(0.9), all(1.1), all(1), all(1.1), all(1.1), [6, -1, 0]];
  const ends = [1, 2, 3, 4, 5.003, 6.003, 8.003, 9.006];
  const learnt: number[] = [];
  const limit = { limit: () => 2, learn: (s: number) => void learnt.push(s) };
  const residuals = new HandResiduals(edges, rows);
  const core = new PathCore(residuals, { ...OPTIONS, twoIntervals: true }, limit);
  core.train(residuals.frame(3, ends[0]));
  core.train(residuals.frame(3, ends[1]));
  // Training: 3/√3 (nothing before it), then 6/√6 over the pair (3/√3 alone).
  assertClose(learnt[0]!, 3 / Math.sqrt(3), 1e-12, 'first training score');
  assertClose(learnt[1]!, 6 / Math.sqrt(6), 1e-12, 'second training score: the pair');
  const judged = ends.slice(2).map((t) => core.judge(residuals.frame(3, t)));
  const expected = [
    (3 * (1 + 0.9)) / Math.sqrt(6), // 2.327 over the pair, 2.7/√3 = 1.559 alone: an alarm
    3.3 / Math.sqrt(3), // the interval before alarmed: alone, 1.905
    (3 * (1.1 + 1)) / Math.sqrt(6), // 2.572 over the pair (a read 3 ms late follows): an alarm
    3.3 / Math.sqrt(3), // after an alarm: alone
    3.3 / Math.sqrt(3), // 8.003 does not follow 6.003 (a gap between): alone, not 6.6/√6
    (4 + 1.1 + (-1 + 1.1) + (0 + 1.1)) / Math.sqrt(6), // 6 clipped at 4 before pairing: 6.3/√6 = 2.572, not 8.3/√6
  ];
  assert.equal(judged.length, expected.length);
  judged.forEach((j, i) => assertClose(j.score, expected[i]!, 1e-12, `judged ${i}`));
  assert.deepEqual(
    judged.map((j) => j.score > j.threshold),
    [true, false, true, false, false, true],
  );
  assert.deepEqual(judged[0]!.blamed.map((b) => `${b.src}>${b.dst}`).sort(), ['external>front-end', 'front-end>user', 'user>user-db']);
  assert.equal(learnt.length, 2 + expected.length);
  learnt.slice(2).forEach((s, i) => assertClose(s, expected[i]!, 1e-12, `learnt ${i}`));

  // Without: every interval alone.
  const alone = new HandResiduals(edges, rows);
  const single = new PathCore(alone, { ...OPTIONS, twoIntervals: false }, alarmLimit({ k: 2 }, 0.01));
  single.train(alone.frame(3, ends[0]));
  single.train(alone.frame(3, ends[1]));
  const scores = ends.slice(2).map((t) => single.judge(alone.frame(3, t)).score);
  const sums = [2.7, 3.3, 3, 3.3, 3.3, 3];
  scores.forEach((s, i) => assertClose(s, sums[i]! / Math.sqrt(3), 1e-12, `alone ${i}`));
});

test('path, judgeOnly (the interval after a gap): Σz/√hops by hand, blamed over the limit, and nothing learnt: no fit, no limit, no pair', () => {
  const edges: [string, string][] = [
    ['user', 'user-db'],
    ['front-end', 'user'],
    ['external', 'front-end'],
  ];
  const rows = [
    [0.5, 0.5, 0.5],
    [0.5, 0.5, 0.5],
    [3, 2, 1],
    [1, 1, 1],
  ];
  const learnt: number[] = [];
  const limit = { limit: () => 2, learn: (s: number) => void learnt.push(s) };
  const residuals = new HandResiduals(edges, rows);
  const core = new PathCore(residuals, { ...OPTIONS, twoIntervals: true }, limit);
  core.train(residuals.frame(3, 1));
  const before = core.judge(residuals.frame(3, 2));
  assertClose(before.score, 3 / Math.sqrt(6), 1e-12, 'the pair of 1 and 2 s');
  // A gap ends at 3 s; the interval ending at 4 s does not follow the one at 2 s: alone, 6/√3.
  const only = core.judgeOnly(residuals.frame(3, 4));
  assertClose(only.score, 6 / Math.sqrt(3), 1e-12, 'judgeOnly');
  assert.equal(only.threshold, 2);
  assert.deepEqual(only.blamed.map((b) => `${b.src}>${b.dst}:${b.score}`), ['user>user-db:3', 'front-end>user:2', 'external>front-end:1']);
  assert.deepEqual(residuals.learnt[2], [], 'no edge learnt');
  assert.equal(learnt.length, 2, 'the limit learnt the training and the judged interval only');
  // Had the interval at 4 s been remembered, 5 s would pair with it: (6 + 3)/√6 = 3.67; alone it is 3/√3.
  const next = core.judge(residuals.frame(3, 5));
  assertClose(next.score, 3 / Math.sqrt(3), 1e-12, 'the next interval pairs with nothing');
  assert.deepEqual(residuals.learnt[3], [0, 1, 2]);
});

test('path: two intervals is the default', () => {
  assert.equal(pathOptionsSchema.parse({}).twoIntervals, true);
});

test('path: told once, with the run time, when its limit first reaches the most one interval can score on its longest path (winsorizeAt·√hops)', () => {
  // The longest candidate path (user-db·user·orders·front-end·external) has 4 hops, so with
  // winsorizeAt 4 no interval can score above 4·√4 = 8 (every hop clipped at 4: 16/2).
  const rows = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0, 0, 0]);
  const told: [number, number, number][] = [];
  const high = new HandResiduals(EDGES, rows);
  const core = new PathCore(high, OPTIONS, alarmLimit({ k: 8.5 }, 0.01), undefined, (limit, ceiling, seconds) => told.push([limit, ceiling, seconds]));
  core.train(high.frame(7, 10));
  for (const t of [11, 12, 13]) core.judge(high.frame(7, t));
  // The run starts at 10 − dt = 9; the first judged interval ends at 11.
  assert.deepEqual(told, [[8.5, 8, 2]]);
  // Just below it an interval with every hop clipped (8) would still alarm: nothing said.
  const level = new HandResiduals(EDGES, rows);
  const quiet = new PathCore(level, OPTIONS, alarmLimit({ k: 7.99 }, 0.01), undefined, () => assert.fail('the limit never reached 8'));
  quiet.train(level.frame(7, 10));
  for (const t of [11, 12]) quiet.judge(level.frame(7, t));
});
