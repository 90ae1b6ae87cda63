import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSnapshot, encodeSnapshot, snapshotToLine } from '../../src/store/index.ts';
import type { Snapshot } from '../../src/types.ts';

describe('snapshot codec', () => {
  it('writes the run-format line: zero metrics and empty edges left out, gap only when true', () => {
    const s: Snapshot = {
      t: 1763697605,
      dt: 5,
      gap: false,
      edges: [
        { src: 'front-end', dst: 'catalogue', values: { requests: 12, request_bytes: 4410, response_bytes: 0 } },
        { src: 'a', dst: 'b', values: { requests: 0 } },
      ],
    };
    assert.equal(snapshotToLine(s), '{"t":1763697605,"dt":5,"edges":[{"src":"front-end","dst":"catalogue","requests":12,"request_bytes":4410}]}');
    assert.deepEqual(encodeSnapshot({ t: 10, dt: 5, gap: true, reason: 'source down', edges: [] }), { t: 10, dt: 5, gap: true, reason: 'source down', edges: [] });
    assert.equal(snapshotToLine({ t: 10, dt: 5, gap: true, edges: [] }), '{"t":10,"dt":5,"gap":true,"edges":[]}');
  });

  it('reads back what it wrote', () => {
    const s: Snapshot = { t: 1.5, dt: 0.5, gap: false, edges: [{ src: 'x', dst: 'y', values: { tcp_sent_bytes: 7, requests: 1 } }] };
    assert.deepEqual(decodeSnapshot(JSON.parse(snapshotToLine(s)), ['requests', 'tcp_sent_bytes']), { ok: true, snapshot: s });
  });

  it('keeps only the manifest metrics, ignores unknown fields, treats missing metrics as 0', () => {
    const line = { t: 20, dt: 5, extra: { anything: 1 }, edges: [{ src: 'a', dst: 'b', requests: 3, colour: 'blue', response_bytes: 9 }, { src: 'c', dst: 'd', colour: 'red' }] };
    assert.deepEqual(decodeSnapshot(line, ['requests']), { ok: true, snapshot: { t: 20, dt: 5, gap: false, edges: [{ src: 'a', dst: 'b', values: { requests: 3 } }] } });
  });

  it('names the field and the value of a bad line, with t and dt when they were readable', () => {
    assert.deepEqual(decodeSnapshot([1], ['requests']), { ok: false, problem: 'expected a JSON object (got [1])' });
    assert.deepEqual(decodeSnapshot({ dt: 5, edges: [] }, ['requests']), { ok: false, problem: 't: expected a number of Unix seconds (got nothing)' });
    assert.deepEqual(decodeSnapshot({ t: 5, dt: 0, edges: [] }, ['requests']), { ok: false, problem: 'dt: expected a positive number of seconds (got 0)', t: 5 });
    assert.deepEqual(decodeSnapshot({ t: 5, dt: 5, edges: [{ src: 'a', dst: 'b', requests: -1 }] }, ['requests']), {
      ok: false,
      problem: 'edges[0].requests: expected a non-negative number (got -1)',
      t: 5,
      dt: 5,
    });
    assert.deepEqual(decodeSnapshot({ t: 5, dt: 5, edges: [{ src: 'a', dst: 'b' }, { src: 'a', dst: 'b' }] }, ['requests']), { ok: false, problem: 'edges[1]: a → b appears twice', t: 5, dt: 5 });
    assert.deepEqual(decodeSnapshot({ t: 5, dt: 5, edges: [{ src: '', dst: 'b' }] }, ['requests']), { ok: false, problem: 'edges[0].src: expected a node name (got "")', t: 5, dt: 5 });
    assert.deepEqual(decodeSnapshot({ t: 5, dt: 5, gap: 'yes', edges: [] }, ['requests']), { ok: false, problem: 'gap: expected true or false (got "yes")', t: 5, dt: 5 });
    assert.deepEqual(decodeSnapshot({ t: 5, dt: 5 }, ['requests']), { ok: false, problem: 'edges: expected an array (got nothing)', t: 5, dt: 5 });
  });

  it('reads a gap as a gap whatever its edges say', () => {
    assert.deepEqual(decodeSnapshot({ t: 5, dt: 5, gap: true }, ['requests']), { ok: true, snapshot: { t: 5, dt: 5, gap: true, edges: [] } });
    assert.deepEqual(decodeSnapshot({ t: 5, dt: 5, gap: false, edges: [] }, ['requests']), { ok: true, snapshot: { t: 5, dt: 5, gap: false, edges: [] } });
  });
});
