// Bug: `npm run replay -- <run> --training 0` (legal; also 1.5 on 2-s intervals) warned
// "<detector>: none of the watched metrics (request_bytes, ...) appear in the run" for eight
// detectors of a run that records every one of them. The check ran at the first judged
// interval *before* that interval was read: with no training interval nothing had been seen
// yet. The detectors now run it once the first judged frame is read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParameters } from '../../src/config/index.ts';
import { createDetectors } from '../../src/detectors/index.ts';
import { captureLog, handSnapshots, judgeSnapshots, type HandInterval } from '../util.ts';

/** The detectors with the watched-metrics check (new-edge watches no volume list). */
const CHECKED = ['control-chart', 'ewma', 'pair-ratio', 'three-tier', 'eigenspace', 'pca-subspace', 'cusum', 'midas', 'graph-lasso', 'path'];

/** Warnings of every built-in detector over `intervals` (1-s intervals), trained for `trainingSeconds`. */
function warnings(intervals: readonly HandInterval[], trainingSeconds: number): string[] {
  const detectors = createDetectors({ ...resolveParameters({}).detectors, trainingSeconds });
  const log = captureLog();
  try {
    for (const d of detectors) judgeSnapshots(handSnapshots(intervals), d.operator);
  } finally {
    log.restore();
  }
  return log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
}

const blind = (messages: readonly string[]) => messages.filter((m) => / none of the watched metrics /.test(m)).map((m) => m.split(':')[0]);

describe('the watched-metrics warning', () => {
  it('is not given for a run with the metrics, however short the training (0, 0.5 s, 2 s)', () => {
    // Every watched metric of the defaults (bytes and counts), on two edges, every interval.
    const busy = (k: number): HandInterval => ({
      'front>cart': { request_bytes: 1000 + k, response_bytes: 5000 + k, tcp_sent_bytes: 6000, tcp_received_bytes: 6000, requests: 10, tcp_connections: 2 },
      'cart>db': { request_bytes: 300 + k, response_bytes: 900, tcp_sent_bytes: 1200, tcp_received_bytes: 1200, requests: 5, tcp_connections: 1 },
    });
    const run = Array.from({ length: 12 }, (_, k) => busy(k));
    for (const trainingSeconds of [0, 0.5, 2]) assert.deepEqual(blind(warnings(run, trainingSeconds)), [], `training ${trainingSeconds} s`);
  });

  it('is still given, by each detector that checks, for a run without any of them, also with no training', () => {
    const run = Array.from({ length: 12 }, (): HandInterval => ({ 'a>b': { grpc_messages: 7 } }));
    for (const trainingSeconds of [0, 2]) assert.deepEqual(blind(warnings(run, trainingSeconds)).sort(), [...CHECKED].sort(), `training ${trainingSeconds} s`);
  });
});
