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

test('new-edge: edges seen in training are allowed; traffic on any other alarms (score = number of new edges)', () => {
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
  assert.equal(v[4]!.score, 1);
  assert.equal(v[4]!.alarm, true);
  assert.deepEqual(v[4]!.blamed, [{ src: 'a', dst: 'x', score: 320 }]);
  // Still new (the invariant is against training, not against the last alarm); a request without bytes counts as traffic.
  assert.equal(v[5]!.score, 2);
  assert.deepEqual(
    v[5]!.blamed.map((b) => [b.src, b.dst, b.score]),
    [['y', 'z', 4000], ['a', 'x', 0]],
  );
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
  assert.equal(v[3]!.score, 1);
  assert.deepEqual(v[3]!.blamed, [{ src: 'e', dst: 'f', score: 7 }]);
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
      assert.deepEqual(v[1]!.blamed, [{ src: 'b', dst: 'a', score: 2 }]);
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
