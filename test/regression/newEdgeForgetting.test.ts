// Regression: `new-edge` on the bench's connection log (20,000 hosts, 3,000 one-minute
// intervals, a day of training) raised 82 false alarms in 1,560 benign intervals (0.053) at
// α = 0.01, 74 episodes beyond the rate by the replay's own check. Training learnt every host
// and pair at once; after it, pairs were learnt only after three intervals of traffic and hosts
// only through learnt pairs, so the known set shrank as training's hosts went silent past the
// day's forgetting horizon, and novelty rose from 43 to 79 an interval above a limit fitted to
// training's level. Where novelty is common, a benign interval now teaches as training does.
//
// Expectation from the promise itself: the log without its three exfiltrations is benign, so
// every alarm is false; bound as the suite's shapes (at most twice the rate).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeConnectionLogRun } from '../../src/replay/index.ts';
import type { Snapshot } from '../../src/types.ts';
import { tally } from '../detectors/calibrationSuite.ts';
import { makeTempDir } from '../util.ts';

/** The bench's log, read back with its exfiltrations (the edges to `external`) left out. */
function benignLog(intervals: number): Snapshot[] {
  const temp = makeTempDir();
  writeConnectionLogRun(temp.dir, { intervals });
  const text = readFileSync(join(temp.dir, 'snapshots.ndjson'), 'utf8');
  temp.remove();
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const s = JSON.parse(line) as { t: number; dt: number; edges: { src: string; dst: string; requests: number }[] };
      const edges = s.edges.filter((e) => e.dst !== 'external').map((e) => ({ src: e.src, dst: e.dst, values: { requests: e.requests } }));
      return { t: s.t, dt: s.dt, gap: false, edges };
    });
}

test('new-edge keeps its false-alarm promise on a connection log longer than training plus the forgetting horizon', () => {
  const snapshots = benignLog(3000);
  const t = tally(snapshots, 86_400, {}, ['requests'], ['new-edge']).get('new-edge')!;
  assert.equal(t.scored, 1560);
  assert.ok(t.alarms / t.scored <= 0.02, `${t.alarms} alarms on ${t.scored} benign intervals (${(t.alarms / t.scored).toFixed(4)})`);
});
