// Measured (review rv1, finding 1; no behaviour change): the price of the intermittent-edge rule
// of faeabe7 (intermittentNewEdge.test.ts). Under the default silentEdges 'typical', an edge
// first seen after training that alarms in 5 intervals, each within forgetAfterSeconds (3,600 s)
// of the one before, is learnt at its level there; so a repeated exfiltration to one new
// destination is learnt by pca-subspace and eigenspace after its fifth alarm, and its later
// appearances are missed by both. With silentEdges 'zero' such an edge is never learnt, and
// every appearance alarms. Of the rest of the default set, new-edge learns any edge after
// allowAfterIntervals (3) intervals of traffic, so it alarms on the first 3 only, and midas,
// which learns nothing from an alarmed interval, alarms on all 10. The README states these
// figures where it describes the trade-off; change both together.
// The run is intermittentNewEdge's shape (9 Sock-Shop edges with Gaussian noise, 2-s intervals,
// 60 s of training) plus user-db → evil.example, 400 kB uploaded every 20th interval (every
// 40 s) from interval 60 on, 10 times (the reviewer's scratch/repeat.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eigenspace, midas, newEdge, pcaSubspace } from '../../src/detectors/index.ts';
import type { Snapshot, Verdict } from '../../src/types.ts';
import { judgeSnapshots } from '../util.ts';
import { smallMeshRun } from './smallMeshRun.ts';

/** The intervals carrying an exfiltration: 60, 80, …, 240. */
const EXFILTRATIONS = Array.from({ length: 10 }, (_, k) => 60 + 20 * k);

function run(): Snapshot[] {
  const exfiltrations = new Set(EXFILTRATIONS);
  return smallMeshRun({
    intervals: 300,
    extra: (i) => (exfiltrations.has(i) ? { src: 'user-db', dst: 'evil.example', values: { requests: 1, request_bytes: 400_000, response_bytes: 100 } } : undefined),
  });
}

/** Which of the 10 exfiltrations alarmed, as a string: A alarmed, . not. */
function caught(verdicts: readonly Verdict[]): string {
  return EXFILTRATIONS.map((i) => (verdicts[i]!.alarm ? 'A' : '.')).join('');
}

describe('a repeated exfiltration to one new destination, every 40 s, 10 times', () => {
  const setup = { trainingSeconds: 60 };
  const snapshots = run();

  for (const [name, detector] of [['pca-subspace', pcaSubspace], ['eigenspace', eigenspace]] as const) {
    it(`${name}, silentEdges 'typical': alarms on the first 5, then has learnt the edge`, () => {
      assert.equal(caught(judgeSnapshots(snapshots, detector({ silentEdges: 'typical' }, setup))), 'AAAAA.....');
    });

    it(`${name}, silentEdges 'zero': alarms on all 10`, () => {
      assert.equal(caught(judgeSnapshots(snapshots, detector({ silentEdges: 'zero' }, setup))), 'AAAAAAAAAA');
    });
  }

  it('new-edge alarms on the first 3 (allowAfterIntervals), midas on all 10', () => {
    assert.equal(caught(judgeSnapshots(snapshots, newEdge({}, setup))), 'AAA.......');
    assert.equal(caught(judgeSnapshots(snapshots, midas({}, setup))), 'AAAAAAAAAA');
  });
});
