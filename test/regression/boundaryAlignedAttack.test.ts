import { it } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import { Evaluator } from '../../src/evaluation/index.ts';
import { injectExfiltration } from '../../src/replay/index.ts';
import type { RunEvent, Snapshot, Verdict } from '../../src/types.ts';

// Bug: an interval that ends exactly when an attack starts (it holds none of its bytes) was
// counted as an attack interval, so on runs whose attacks start on an interval boundary (every
// `--inject` window does) a perfect detector scored TPR 0.5. run-format.md now asks for a
// shared stretch of time: t > start and t − dt < end.
it('a perfect detector scores TPR 1 on an injected exfiltration whose windows start on interval boundaries', async () => {
  // 20 benign intervals of 5 s from t0 = 1000; windows [10, 15) and [50, 55) s after the start:
  // each fills exactly one interval, (1010, 1015] and (1050, 1055].
  const t0 = 1000;
  const benign: Snapshot[] = Array.from({ length: 20 }, (_, i) => ({ t: t0 + 5 * (i + 1), dt: 5, gap: false, edges: [{ src: 'front-end', dst: 'catalogue', values: { response_bytes: 1000 } }] }));
  const events: RunEvent[] = [];
  const snapshots = await lastValueFrom(
    from(benign).pipe(
      injectExfiltration({ bytesPerInterval: 50_000, intervalSeconds: 5, at: [{ startSeconds: 10, endSeconds: 15 }, { startSeconds: 50, endSeconds: 55 }], runMetrics: ['response_bytes', 'tcp_sent_bytes'], onSettled: (ws) => events.push(...ws.map((w) => w.injected!)) }),
      toArray(),
    ),
  );
  const ev = new Evaluator('aligned', events);
  for (const s of snapshots) {
    // The perfect detector: alarms exactly on the intervals carrying exfiltrated bytes out of
    // the mesh (external pulls from front-end), and blames that edge.
    const out = s.edges.find((e) => e.src === 'external' && e.dst === 'front-end' && (e.values.response_bytes ?? 0) > 0);
    const v: Verdict = { t: s.t, dt: s.dt, detector: 'perfect', score: out ? 1 : 0, threshold: 0.5, alarm: out !== undefined, training: false, gap: false, blamed: out ? [{ src: out.src, dst: out.dst, score: 1 }] : [] };
    ev.addVerdict(v);
  }
  const alarmed = snapshots.filter((s) => s.edges.some((e) => e.src === 'external')).map((s) => s.t);
  assert.deepEqual(alarmed, [1015, 1055], 'the injected bytes land in one interval per window');
  const summary = ev.summary();
  const d = summary.detectors['perfect']!;
  // Before: (1005, 1010] and (1045, 1050] counted as attack intervals too, TPR 2/4.
  assert.equal(d.tpr, 1);
  // Attack intervals: exactly those two; grace intervals 1020 and 1060; 16 benign counted.
  assert.equal(summary.attackIntervals, 2);
  assert.equal(summary.graceIntervals, 2);
  assert.deepEqual([d.tp, d.fp, d.tn, d.fn], [2, 0, 16, 0]);
  assert.equal(d.fpr, 0);
  assert.equal(d.auc, 1);
  assert.deepEqual([d.events.detected, d.events.total, d.events.meanDelaySeconds], [2, 2, 5]);
  // external → front-end is the last hop of user-db → user → front-end → external.
  assert.deepEqual(d.blame, { alarms: 2, onPath: 2 });
});
