import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LiveHub, liveRunInfo, type LiveMessage } from '../../src/dashboard/index.ts';
import { resolveParameters } from '../../src/config/index.ts';
import { captureLog } from '../util.ts';

const info = { name: 'r', intervalSeconds: 1, durationSeconds: 10, plannedIntervals: 10, metrics: ['requests'], detectors: ['ewma'], trainingSeconds: 2, exfiltration: [], ewma: { lambda: 0.2, k: 3 }, startedAt: '2026-01-01T00:00:00.000Z' };
const snap = (t: number) => ({ t, dt: 1, gap: false, edges: [{ src: 'a', dst: 'b', values: { requests: t } }] });
const verdict = (t: number, alarm = false) => ({ t, dt: 1, detector: 'ewma', score: alarm ? 5 : 1, threshold: 3, alarm, training: false, gap: false, blamed: alarm ? Array.from({ length: 30 }, (_, i) => ({ src: `s${i}`, dst: 'd', score: i })) : [] });

describe('LiveHub', () => {
  it('keeps what happened for late subscribers and forgets it on a new begin', () => {
    const hub = new LiveHub();
    assert.equal(hub.state().active, false);
    hub.begin(info);
    assert.equal(hub.runName, 'r');
    hub.snapshot(snap(1));
    hub.verdict(verdict(1));
    hub.event({ kind: 'exfiltration', start: 0.5, end: 1, bytes: 7 });
    const s = hub.state();
    assert.equal(s.active, true);
    assert.deepEqual(s.snapshots, [{ t: 1, dt: 1, edges: [{ src: 'a', dst: 'b', requests: 1 }] }]);
    assert.equal(s.verdicts.length, 1);
    assert.equal(s.verdicts[0]!.blamed, undefined);
    assert.equal(s.events.length, 1);
    hub.end({ complete: true, intervals: 1 });
    assert.equal(hub.state().active, false);
    assert.equal(hub.runName, undefined);
    hub.begin({ ...info, name: 'r2' });
    assert.deepEqual([hub.state().snapshots.length, hub.state().verdicts.length, hub.state().events.length, hub.state().ended], [0, 0, 0, null]);
  });

  it('passes each message to every subscriber in order, and stops after unsubscribe', () => {
    const hub = new LiveHub();
    const got: string[] = [];
    const off = hub.subscribe((m: LiveMessage) => got.push(m.type));
    hub.begin(info);
    hub.snapshot(snap(1));
    hub.verdict(verdict(1, true));
    off();
    hub.end({ complete: false, intervals: 1 });
    assert.deepEqual(got, ['begin', 'snapshot', 'verdict']);
  });

  it('bounds memory: old intervals and their verdicts are dropped past maxIntervals; blamed lists are capped', () => {
    const hub = new LiveHub({ maxIntervals: 3, maxBlamed: 4 });
    hub.begin(info);
    for (let t = 1; t <= 5; t++) {
      hub.snapshot(snap(t));
      hub.verdict(verdict(t, t === 5));
    }
    const s = hub.state();
    assert.deepEqual(
      s.snapshots.map((x) => x.t),
      [3, 4, 5],
    );
    assert.equal(s.droppedIntervals, 2);
    assert.deepEqual(
      s.verdicts.map((v) => v.t),
      [3, 4, 5],
    );
    assert.equal(s.verdicts[2]!.blamed!.length, 4);
  });

  it('sends NaN and infinite scores as strings, not as null', () => {
    const hub = new LiveHub();
    hub.begin(info);
    hub.verdict({ ...verdict(1, true), score: Number.POSITIVE_INFINITY, threshold: Number.NaN, blamed: [{ src: 'a', dst: 'b', score: Number.NEGATIVE_INFINITY }] });
    const v = JSON.parse(JSON.stringify(hub.state().verdicts[0]));
    assert.equal(v.score, 'Infinity');
    assert.equal(v.threshold, 'NaN');
    assert.equal(v.blamed[0].score, '-Infinity');
  });

  it('never lets a failing subscriber reach the experiment: it is logged and dropped', () => {
    const log = captureLog();
    try {
      const hub = new LiveHub();
      let calls = 0;
      hub.subscribe(() => {
        calls += 1;
        throw new Error('page gone');
      });
      hub.begin(info);
      hub.snapshot(snap(1));
      assert.equal(calls, 1);
      assert.match(log.text('error'), /dashboard: live subscriber: page gone/);
    } finally {
      log.restore();
    }
  });

  it('describes an experiment from its parameters (schedule in order, ewma settings, planned intervals)', () => {
    const params = resolveParameters({
      durationSeconds: 30,
      intervalSeconds: 2,
      exfiltration: [
        { atSeconds: 20, bytes: 5, method: 'egress', workload: 'catalogue' },
        { atSeconds: 10, bytes: 7, method: 'api' },
      ],
      detectors: { trainingSeconds: 10, options: { ewma: { lambda: 0.5 } } },
    });
    const i = liveRunInfo(params, 'run9', new Date('2026-01-02T03:04:05.000Z'));
    assert.equal(i.plannedIntervals, 15);
    assert.deepEqual(i.exfiltration, [
      { atSeconds: 10, bytes: 7, method: 'api' },
      { atSeconds: 20, bytes: 5, method: 'egress', workload: 'catalogue' },
    ]);
    assert.deepEqual(i.ewma, { lambda: 0.5, k: 3 });
    assert.equal(i.startedAt, '2026-01-02T03:04:05.000Z');
  });
});
