// The load covariates of each edge, worked by hand on small frames: own demand, the front door's
// demand, the demand into the edge's source.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOAD_COVARIATES, LoadCovariates } from '../../../src/detectors/series/loadCovariates.ts';
import { OutsideNodes } from '../../../src/detectors/series/outsideNodes.ts';
import type { Frame } from '../../../src/types.ts';
import { framesOf, handSnapshots, type HandInterval } from '../../util.ts';

/** The covariates of edge "src>dst" after the last read, as [own, front door, into its source]. */
function covOf(covariates: LoadCovariates, frame: Frame, key: string): number[] {
  const [src, dst] = key.split('>');
  const e = frame.edges.list.findIndex((edge) => edge.src === src && edge.dst === dst);
  assert.ok(e >= 0, `no edge ${key}`);
  return [...covariates.cov.subarray(e * LOAD_COVARIATES, (e + 1) * LOAD_COVARIATES)];
}

function readOne(interval: HandInterval): { covariates: LoadCovariates; frame: Frame } {
  const frame = framesOf(handSnapshots([interval]))[0]!;
  const covariates = new LoadCovariates(new OutsideNodes(['external'], true));
  const n = frame.edges.list.length;
  covariates.reserve(n);
  covariates.index(frame, n, undefined);
  covariates.read(frame, n);
  return { covariates, frame };
}

describe('load covariates', () => {
  it('with `requests` recorded: demand is the request count; a TCP edge (no requests) asks its request-direction bytes of itself, and nothing in the sums', () => {
    const { covariates, frame } = readOne({
      'external>front-end': { requests: 10, response_bytes: 50_000 },
      'front-end>user': { requests: 4, response_bytes: 3_000 },
      'front-end>catalogue': { requests: 6, response_bytes: 9_000 },
      'user>user-db': { tcp_received_bytes: 300, tcp_sent_bytes: 2_000 },
      'user-db>backup': { requests: 1, response_bytes: 100 },
    });
    // Front door: external → front-end's 10. Into front-end: 10; into user: 4; into external: 0.
    assert.deepEqual(covOf(covariates, frame, 'external>front-end'), [10, 10, 0]);
    assert.deepEqual(covOf(covariates, frame, 'front-end>user'), [4, 10, 10]);
    assert.deepEqual(covOf(covariates, frame, 'front-end>catalogue'), [6, 10, 10]);
    // Its own demand: the 300 bytes it asked with (a count and bytes are never added: the sums hold requests only).
    assert.deepEqual(covOf(covariates, frame, 'user>user-db'), [300, 10, 4]);
    // Into user-db: user's 300 TCP bytes are not requests, so 0.
    assert.deepEqual(covOf(covariates, frame, 'user-db>backup'), [1, 10, 0]);
    assert.equal(covariates.fromFrontDoor[frame.edges.list.findIndex((e) => e.src === 'external')], 1);
  });

  it('without `requests`: demand is the request-direction bytes, request_bytes + tcp_received_bytes', () => {
    const { covariates, frame } = readOne({
      '10.0.0.7>front-end': { request_bytes: 700, tcp_received_bytes: 100, response_bytes: 9_000 },
      'front-end>user': { request_bytes: 250, response_bytes: 4_000 },
      'user>user-db': { tcp_received_bytes: 90, tcp_sent_bytes: 2_000 },
    });
    // An address is outside (addresses count as outside here): the front door asks 700 + 100.
    assert.deepEqual(covOf(covariates, frame, '10.0.0.7>front-end'), [800, 800, 0]);
    assert.deepEqual(covOf(covariates, frame, 'front-end>user'), [250, 800, 800]);
    assert.deepEqual(covOf(covariates, frame, 'user>user-db'), [90, 800, 250]);
  });

  it('readActive over the edges with traffic gives those edges what read gives them, and its sums start from 0 after a dense read', () => {
    const interval = {
      'external>front-end': { requests: 5 },
      'front-end>user': { requests: 2 },
      'front-end>carts': { requests: 3 },
      'carts>carts-db': { tcp_received_bytes: 40 },
    };
    const dense = readOne(interval);
    const frame = dense.frame;
    const sparse = new LoadCovariates(new OutsideNodes(['external'], true));
    const n = frame.edges.list.length;
    sparse.reserve(n);
    sparse.index(frame, n, undefined);
    // carts → carts-db asks for no requests: active are the other three.
    const active = Int32Array.from(['external>front-end', 'front-end>user', 'front-end>carts'].map((k) => frame.edges.list.findIndex((e) => `${e.src}>${e.dst}` === k)).sort((a, b) => a - b));
    for (let round = 0; round < 2; round++) {
      sparse.readActive(frame, active);
      for (const e of active) {
        const key = `${frame.edges.list[e]!.src}>${frame.edges.list[e]!.dst}`;
        assert.deepEqual(covOf(sparse, frame, key), covOf(dense.covariates, frame, key), `${key}, round ${round}`);
      }
    }
    // By hand: front door 5, into front-end 5.
    assert.deepEqual(covOf(sparse, frame, 'front-end>carts'), [3, 5, 5]);
    // A sparse read right after a dense one on the same instance: the dense read's sums into each
    // node must not carry over (into front-end would read 10, into external 5).
    dense.covariates.readActive(frame, active);
    assert.deepEqual(covOf(dense.covariates, frame, 'front-end>user'), [2, 5, 5]);
    assert.deepEqual(covOf(dense.covariates, frame, 'external>front-end'), [5, 5, 0]);
    // The TCP edge active too: its own demand is its 40 request-direction bytes, as a dense read has it; into carts: 3.
    const all = Int32Array.from(frame.edges.list.keys());
    sparse.readActive(frame, all);
    assert.deepEqual(covOf(sparse, frame, 'carts>carts-db'), [40, 5, 3]);
    assert.deepEqual(covOf(dense.covariates, frame, 'carts>carts-db'), covOf(sparse, frame, 'carts>carts-db'));
  });
});
