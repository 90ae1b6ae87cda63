import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { newEdge } from '../../../src/detectors/index.ts';
import { UserError } from '../../../src/errors.ts';
import { handSnapshots, judgeSnapshots, makeTempDir, type HandInterval } from '../../util.ts';

const trained: HandInterval[] = [
  { 'a>b': { request_bytes: 10 }, 'b>c': { response_bytes: 5 } },
  'gap',
  { 'a>b': { request_bytes: 12 } },
];

test('new-edge: edges seen in training are allowed; traffic on any other alarms (score = new edges + new nodes)', () => {
  const v = judgeSnapshots(
    handSnapshots([
      ...trained,
      { 'a>b': { request_bytes: 999 }, 'b>c': { response_bytes: 1 } },
      { 'a>b': { request_bytes: 1 }, 'a>x': { request_bytes: 300, response_bytes: 20 } },
      { 'a>x': { requests: 1 }, 'y>z': { tcp_sent_bytes: 4000 } },
    ]),
    newEdge({}, { trainingSeconds: 3 }),
  );
  assert.ok(v.slice(0, 3).every((x) => x.training && !x.alarm));
  assert.equal(v[3]!.score, 0);
  assert.equal(v[3]!.threshold, 0);
  assert.equal(v[3]!.alarm, false);
  // a → x is new, and so is x (no known edge touches it): 1 + 1.
  assert.equal(v[4]!.score, 2);
  assert.equal(v[4]!.alarm, true);
  // Blamed by the fan-out of the edge's source this interval: a opened one new edge.
  assert.deepEqual(v[4]!.blamed, [{ src: 'a', dst: 'x', score: 1 }]);
  // a → x has carried traffic in one interval, not yet the 3 that allow it (a request without
  // bytes counts as traffic); y → z is new, and x, y, z are new nodes: 2 + 3.
  assert.equal(v[5]!.score, 5);
  assert.deepEqual(
    v[5]!.blamed.map((b) => `${b.src}>${b.dst}:${b.score}`).sort(),
    ['a>x:1', 'y>z:1'],
  );
});

test('new-edge learns in virtual time: allowed after allowAfterIntervals intervals of traffic, unknown again after forgetAfterSeconds of silence', () => {
  // 10-s intervals ending at t = 10, 20, ...; the first (t = 10) trains.
  const intervals: HandInterval[] = [
    { 'a>b': { requests: 1 } }, // t = 10, training
    { 'a>b': { requests: 1 }, 'a>c': { requests: 1 } }, // t = 20: a → c and c new: 2
    { 'a>c': { requests: 1 } }, // t = 30: second interval of traffic: 2
    { 'a>c': { requests: 1 } }, // t = 40: third: still new when judged (2), allowed after it
    { 'a>c': { requests: 1 } }, // t = 50: allowed: 0
    ...Array.from({ length: 6 }, (): HandInterval => ({ 'a>b': { requests: 1 } })), // t = 60 … 110
    { 'a>c': { requests: 1 } }, // t = 120: silent since 50, 70 s > 60 s: forgotten, and c with it: 2
    { 'a>b': { requests: 1 } }, // t = 130: a → b silent since 110, 20 s: still known: 0
  ];
  const v = judgeSnapshots(handSnapshots(intervals, { dt: 10 }), newEdge({ forgetAfterSeconds: 60 }, { trainingSeconds: 10 }));
  assert.deepEqual(
    v.map((x) => (x.training ? 'train' : x.score)),
    ['train', 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0],
  );
  // Silence of exactly forgetAfterSeconds is not yet forgetting: a → c at t = 110 (60 s after 50).
  const edge: HandInterval[] = [...intervals.slice(0, 10), { 'a>c': { requests: 1 } }];
  const w = judgeSnapshots(handSnapshots(edge, { dt: 10 }), newEdge({ forgetAfterSeconds: 60 }, { trainingSeconds: 10 }));
  assert.equal(w[10]!.score, 0);
  // allowAfterIntervals: 1 allows an edge after its first interval; 0 never learns after training.
  const one = judgeSnapshots(handSnapshots(intervals.slice(0, 5), { dt: 10 }), newEdge({ allowAfterIntervals: 1 }, { trainingSeconds: 10 }));
  assert.deepEqual(one.slice(1).map((x) => x.score), [2, 0, 0, 0]);
  const never = judgeSnapshots(handSnapshots(intervals.slice(0, 5), { dt: 10 }), newEdge({ allowAfterIntervals: 0 }, { trainingSeconds: 10 }));
  assert.deepEqual(never.slice(1).map((x) => x.score), [2, 2, 2, 2]);
});

test('new-edge: a node opening many new edges at once (a scan) scores by that count, is blamed first, and does not teach them by repetition', () => {
  const scan: HandInterval = Object.fromEntries([1, 2, 3, 4, 5, 6].map((k) => [`a>c${k}`, { tcp_connections: 1 }]));
  const v = judgeSnapshots(
    handSnapshots([
      { 'a>b': { requests: 1 } },
      { ...scan, 'd>b': { requests: 1 } },
      { ...scan, 'd>b': { requests: 1 } },
      { ...scan, 'd>b': { requests: 1 } },
      { ...scan, 'd>b': { requests: 1 } },
    ]),
    newEdge({}, { trainingSeconds: 1 }),
  );
  // 7 new edges, 6 new targets and the new node d: 14.
  assert.equal(v[1]!.score, 14);
  // The five blamed (MAX_BLAMED) are a's, each scored 6 (a's fan-out); d → b (fan-out 1) comes after them.
  assert.equal(v[1]!.blamed.length, 5);
  assert.ok(v[1]!.blamed.every((b) => b.src === 'a' && b.score === 6));
  assert.equal(v[3]!.score, 14);
  // After three intervals d → b (no burst) is allowed and d known; a's six edges (6 ≥ fanOutEdges 5) are not: 6 + 6.
  assert.equal(v[4]!.score, 12);
  // With fanOutEdges above the burst, the six are learnt like any edge.
  const w = judgeSnapshots(handSnapshots([{ 'a>b': { requests: 1 } }, scan, scan, scan, scan]), newEdge({ fanOutEdges: 7 }, { trainingSeconds: 1 }));
  assert.deepEqual(w.slice(1).map((x) => x.score), [12, 12, 12, 0]);
});

test('new-edge: the same fan-out 5 intervals in a row is a new normal (a canary), learnt after its 5 alarms; broken rows are not', () => {
  // Regression: a canary (svc-0 sending a tenth of its calls to a new version of each of its
  // callees) is a node opening the same new edges in every interval: it alarmed on every interval
  // for the rest of the run (1,000 of 1,000), since a fan-out burst never taught its edges.
  const fanOut: HandInterval = Object.fromEntries([1, 2, 3, 4, 5, 6].map((k) => [`a>c${k}`, { requests: 1 }]));
  const known: HandInterval = { 'a>b': { requests: 1 } };
  // Six new edges and six new nodes (c1 … c6) an interval: 12, for five intervals in a row; then known.
  const v = judgeSnapshots(handSnapshots([known, fanOut, fanOut, fanOut, fanOut, fanOut, fanOut]), newEdge({}, { trainingSeconds: 1 }));
  assert.deepEqual(v.slice(1).map((x) => x.score), [12, 12, 12, 12, 12, 0]);
  // Two in a row, an interval without them, then four in a row: never five in a row, never learnt.
  const w = judgeSnapshots(handSnapshots([known, fanOut, fanOut, known, fanOut, fanOut, fanOut, fanOut]), newEdge({}, { trainingSeconds: 1 }));
  assert.deepEqual(w.slice(1).map((x) => x.score), [12, 12, 0, 12, 12, 12, 12]);
});

test('new-edge: score "bytes" sums the watched bytes on new edges', () => {
  const v = judgeSnapshots(
    handSnapshots([...trained, { 'a>x': { request_bytes: 300, response_bytes: 20, requests: 3 }, 'y>z': { tcp_received_bytes: 5 } }]),
    newEdge({ score: 'bytes' }, { trainingSeconds: 3 }),
  );
  assert.equal(v[3]!.score, 325);
});

test('new-edge: with an allowed-edges policy, training is not learned and `*` matches any node', () => {
  const v = judgeSnapshots(
    handSnapshots([
      { 'e>f': { request_bytes: 1 } },
      { 'a>b': { request_bytes: 1 } },
      { 'a>b': { request_bytes: 1 } },
      { 'a>b': { request_bytes: 1 }, 'q>c': { request_bytes: 1 }, 'e>f': { request_bytes: 7 } },
    ]),
    newEdge({ allowedEdges: [{ src: 'a', dst: 'b' }, { src: '*', dst: 'c' }] }, { trainingSeconds: 3 }),
  );
  // e → f is outside the policy, and neither e nor f has an allowed edge: 1 + 2.
  assert.equal(v[3]!.score, 3);
  assert.deepEqual(v[3]!.blamed, [{ src: 'e', dst: 'f', score: 1 }]);
  const learning = judgeSnapshots(
    handSnapshots([{ 'e>f': { request_bytes: 1 } }, {}, {}, { 'e>f': { request_bytes: 7 } }]),
    newEdge({ allowedEdges: [{ src: 'a', dst: 'b' }], learnFromTraining: true }, { trainingSeconds: 3 }),
  );
  assert.equal(learning[3]!.score, 0);
});

test('new-edge: policy file (a list, or {allowedEdges}), and clear errors on a bad one', () => {
  const tmp = makeTempDir();
  try {
    const list = join(tmp.dir, 'list.json');
    writeFileSync(list, JSON.stringify([{ src: 'a', dst: 'b' }]));
    const wrapped = join(tmp.dir, 'wrapped.json');
    writeFileSync(wrapped, JSON.stringify({ allowedEdges: [{ src: 'a', dst: 'b' }], note: 'from the network policy' }));
    const series = handSnapshots([{}, { 'a>b': { request_bytes: 1 }, 'b>a': { request_bytes: 2 } }]);
    for (const policyFile of [list, wrapped]) {
      const v = judgeSnapshots(series, newEdge({ policyFile }, { trainingSeconds: 1 }));
      assert.deepEqual(v[1]!.blamed, [{ src: 'b', dst: 'a', score: 1 }]);
    }

    const notJson = join(tmp.dir, 'bad.json');
    writeFileSync(notJson, '{"allowedEdges": [');
    assert.throws(
      () => newEdge({ policyFile: notJson }),
      (e: unknown) => e instanceof UserError && e.message.includes('detectors.options.new-edge.policyFile') && e.message.includes('bad.json is not valid JSON'),
    );
    const wrongShape = join(tmp.dir, 'shape.json');
    writeFileSync(wrongShape, JSON.stringify([{ src: 'a', dst: 'b' }, { src: 'a', to: 'c' }]));
    assert.throws(
      () => newEdge({ policyFile: wrongShape }),
      (e: unknown) => e instanceof UserError && e.message.includes('shape.json') && /\[1\]/.test(e.message),
    );
    assert.throws(
      () => newEdge({ policyFile: join(tmp.dir, 'missing.json') }),
      (e: unknown) => e instanceof UserError && /policyFile: cannot read policy file .*missing\.json: ENOENT/.test(e.message),
    );
  } finally {
    tmp.remove();
  }
});

test('new-edge: policy edges are never forgotten, and with a policy nothing else is learnt unless asked', () => {
  const quiet = Array.from({ length: 5 }, (): HandInterval => ({}));
  const v = judgeSnapshots(
    handSnapshots([{ 'a>b': { requests: 1 } }, ...quiet, { 'a>b': { requests: 1 }, 'e>f': { requests: 1 } }, { 'e>f': { requests: 1 } }, { 'e>f': { requests: 1 } }, { 'e>f': { requests: 1 } }], { dt: 100 }),
    newEdge({ allowedEdges: [{ src: 'a', dst: 'b' }], forgetAfterSeconds: 10 }, { trainingSeconds: 100 }),
  );
  // a → b silent for 600 s ≫ 10 s, still allowed; e → f with e and f: 3, every time (allowAfterIntervals 0 with a policy).
  assert.deepEqual(v.slice(6).map((x) => x.score), [3, 3, 3, 3]);
  const learning = judgeSnapshots(
    handSnapshots([{ 'a>b': { requests: 1 } }, { 'e>f': { requests: 1 } }, { 'e>f': { requests: 1 } }, { 'e>f': { requests: 1 } }]),
    newEdge({ allowedEdges: [{ src: 'a', dst: 'b' }], allowAfterIntervals: 2 }, { trainingSeconds: 1 }),
  );
  assert.deepEqual(learning.slice(1).map((x) => x.score), [3, 3, 0]);
});

test('new-edge: where novelty is common (a calibrated threshold), an interval judged benign teaches its edges at once, as training does; an alarmed one, or a fan-out burst, does not', () => {
  // 24 one-minute training intervals, each with a known edge and one or two edges between
  // hosts never seen before (score 2 or 4): novelty in every interval, far above α = 0.01, so
  // the threshold is calibrated (NoveltyLimit), not the rule's 0.
  const training: HandInterval[] = Array.from({ length: 24 }, (_, i) => ({
    'a>b': { requests: 1 },
    [`x${i}>y${i}`]: { requests: 1 },
    ...(i % 3 === 0 ? { [`w${i}>v${i}`]: { requests: 1 } } : {}),
  }));
  const burst = Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`s${k}>t${k}`, { requests: 1 }]));
  const judged: HandInterval[] = [
    { 'a>b': { requests: 1 }, 'p>q': { requests: 1 } }, // p → q, p, q new: 3, under the threshold
    { 'a>b': { requests: 1 }, 'p>q': { requests: 1 } }, // learnt at once by the benign interval before: 0
    { 'a>b': { requests: 1 }, ...burst }, // 10 new edges, 20 new nodes: 30, alarmed
    { 'a>b': { requests: 1 }, 's0>t0': { requests: 1 } }, // the alarm taught nothing: 1 + 2 nodes = 3
    { 'a>b': { requests: 1 }, 's0>t0': { requests: 1 } }, // the benign interval before taught it: 0
  ];
  const v = judgeSnapshots(handSnapshots([...training, ...judged], { dt: 60 }), newEdge({}, { trainingSeconds: 24 * 60 }));
  const out = v.slice(24);
  // Preconditions: the calibrated regime, with 3 under the threshold and 30 over it.
  for (const x of out) assert.ok(x.threshold >= 3 && x.threshold < 30, `threshold ${x.threshold}`);
  assert.deepEqual(out.map((x) => x.score), [3, 0, 30, 3, 0]);
  assert.deepEqual(out.map((x) => x.alarm), [false, false, true, false, false]);

  // A fan-out burst under the threshold (a opens 5 new edges: 5 + 5 new nodes = 10) is not
  // taught at once; a → g1 alone next is new again (1 + g1 = 2) and, no burst now, taught.
  const fan = Object.fromEntries(Array.from({ length: 5 }, (_, k) => [`a>g${k + 1}`, { requests: 1 }]));
  const after: HandInterval[] = [{ 'a>b': { requests: 1 }, ...fan }, { 'a>b': { requests: 1 }, 'a>g1': { requests: 1 } }, { 'a>b': { requests: 1 }, 'a>g1': { requests: 1 } }];
  const w = judgeSnapshots(handSnapshots([...training, ...after], { dt: 60 }), newEdge({}, { trainingSeconds: 24 * 60 })).slice(24);
  assert.ok(w[0]!.threshold > 10 && w[1]!.threshold >= 2, `thresholds ${w.map((x) => x.threshold).join(', ')}`);
  assert.deepEqual(w.map((x) => x.score), [10, 2, 0]);
  assert.ok(w.every((x) => !x.alarm));
});
