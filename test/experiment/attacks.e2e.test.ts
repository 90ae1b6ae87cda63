import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { runExperiment, type ExperimentResult } from '../../src/experiment/index.ts';
import { SOCK_SHOP_EDGES, SOCK_SHOP_WORKLOADS } from '../../src/mesh/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import type { RunEvent, Snapshot } from '../../src/types.ts';
import { captureLog, makeTempDir, readRunBack, exclusively } from '../util.ts';

// Issue 19's end-to-end test: a short real experiment on the embedded mesh (direct scrape,
// built-in traffic) with one fast scan and one lateral movement, checked from the files it
// wrote, then replayed through new-edge and midas. What the attacks must show is worked out
// from the topology, not from the code under test.
const SCANNER = 'user';
const OTHER_PORTS = [22, 443, 8080];
const LATERAL = { workload: 'front-end', to: 'payment', calls: 5 } as const;
const FALSE_ALARM_RATE = 0.01;

/** The services the scanner can reach: every workload but itself. */
const REACHABLE = SOCK_SHOP_WORKLOADS.filter((w) => w !== SCANNER);
/** Edges the scan must open that the application never uses: the scanner to every service it does not call. */
const NEW_SCAN_EDGES = REACHABLE.filter((s) => !SOCK_SHOP_EDGES.some((e) => e.src === SCANNER && e.dst === s));

describe('a scan and a lateral movement on the embedded mesh, end to end', { timeout: 150_000 }, () => {
  const tmp = makeTempDir('munnin-attacks-e2e-');
  const log = captureLog();
  let result: ExperimentResult;
  let snapshots: Snapshot[] = [];
  let events: RunEvent[] = [];
  const params = resolveParameters({
    outputDir: tmp.dir,
    durationSeconds: 40,
    intervalSeconds: 1,
    telemetry: { source: 'scrape' },
    traffic: { generator: 'builtin', users: 8, shape: 'constant', thinkTimeScale: 0.25 },
    exfiltration: [],
    scan: [{ atSeconds: 22, workload: SCANNER, otherPorts: OTHER_PORTS, secondsBetweenTargets: 0 }],
    lateral: [{ atSeconds: 31, ...LATERAL, secondsBetweenCalls: 0.2 }],
    detectors: { trainingSeconds: 16, enabled: ['new-edge', 'midas'], falseAlarmRate: FALSE_ALARM_RATE },
  });

  before(async () => {
    result = await exclusively('realtime-experiment', () => runExperiment(params, 'attacks', { progress: false }));
    ({ snapshots, events } = await readRunBack(result.dir));
  });
  after(() => {
    log.restore();
    tmp.remove();
  });

  const scanEvent = () => events.find((e) => e.kind === 'scan')!;
  const lateralEvent = () => events.find((e) => e.kind === 'lateral')!;
  const value = (s: Snapshot, src: string, dst: string, metric: string) => s.edges.find((e) => e.src === src && e.dst === dst)?.values[metric] ?? 0;
  const carries = (s: Snapshot, src: string, dst: string) => s.edges.some((e) => e.src === src && e.dst === dst);
  /** The attack's intervals (t − dt, t] overlapping [start, end), and the one after (the grace interval: bytes flushed late). */
  const during = (e: RunEvent) => {
    const inside = snapshots.filter((s) => s.t > e.start && s.t - s.dt < e.end);
    const next = snapshots[snapshots.indexOf(inside[inside.length - 1]!) + 1];
    return next ? [...inside, next] : inside;
  };

  it('records the run without gaps or errors, and each attack once, complete, with its path', () => {
    assert.equal(log.text('error'), '');
    assert.equal(result.complete, true);
    assert.deepEqual([result.exfiltrations, result.scans, result.lateralMovements], [0, 1, 1]);
    assert.equal(snapshots.length, 40);
    assert.ok(snapshots.every((s) => !s.gap));
    assert.deepEqual(events.filter((e) => e.kind === 'scan' || e.kind === 'lateral').map((e) => e.kind), ['scan', 'lateral']);
    const t0 = snapshots[0]!.t - snapshots[0]!.dt;
    const scan = scanEvent();
    const lateral = lateralEvent();
    assert.deepEqual(scan.path, [SCANNER, '*']);
    assert.deepEqual(lateral.path, [LATERAL.workload, LATERAL.to]);
    // Every reachable service on its own port and the three others: 13 × 4 tries; only the services' own ports answer.
    assert.deepEqual([scan['attempts'], scan['answered']], [REACHABLE.length * (1 + OTHER_PORTS.length), REACHABLE.length]);
    assert.deepEqual([lateral['attempts'], lateral['answered']], [LATERAL.calls, LATERAL.calls]);
    for (const [e, at] of [[scan, 22], [lateral, 31]] as const) {
      assert.equal(e['incomplete'], undefined);
      assert.ok(e.end > e.start && Math.abs(e.start - t0 - at) < 1, `${e.kind} at +${(e.start - t0).toFixed(2)} s, scheduled +${at} s`);
    }
    // A fast sweep: over in well under an interval; 5 calls 0.2 s apart: about 0.8 s.
    assert.ok(scan.end - scan.start < 1, `scan took ${scan.end - scan.start} s`);
  });

  it('shows the scan as the scanner reaching every service, its closed ports as connections to external, in counts more than bytes', () => {
    const scan = scanEvent();
    const window = during(scan);
    const before_ = snapshots.filter((s) => s.t <= scan.start);
    for (const s of REACHABLE) assert.ok(window.some((w) => carries(w, SCANNER, s)), `${SCANNER} → ${s} in the scan's intervals`);
    for (const s of NEW_SCAN_EDGES) assert.ok(!before_.some((b) => carries(b, SCANNER, s)), `${SCANNER} → ${s} before the scan`);
    // The ports nothing listens on: PassthroughCluster (→ external), one connection each, no byte.
    const closed = window.reduce((n, w) => n + value(w, SCANNER, 'external', 'tcp_connections'), 0);
    assert.equal(closed, REACHABLE.length * OTHER_PORTS.length);
    const bytes = (w: Snapshot) => ['request_bytes', 'response_bytes', 'tcp_sent_bytes', 'tcp_received_bytes'].reduce((n, m) => n + value(w, SCANNER, 'external', m), 0);
    assert.equal(window.reduce((n, w) => n + bytes(w), 0), 0);
    // Few bytes: the whole scan moves less than 30 kB (one of Munnin's small exfiltrations), the front-end's index page most of it.
    const scanBytes = window.reduce((n, w) => n + NEW_SCAN_EDGES.reduce((m, d) => m + ['request_bytes', 'response_bytes', 'tcp_sent_bytes', 'tcp_received_bytes'].reduce((k, x) => k + value(w, SCANNER, d, x), 0), 0), 0);
    assert.ok(scanBytes > 0 && scanBytes < 30_000, `scan bytes ${scanBytes}`);
  });

  it('shows the lateral movement as exactly its calls on an edge the application never uses', () => {
    const lateral = lateralEvent();
    assert.ok(!SOCK_SHOP_EDGES.some((e) => e.src === LATERAL.workload && e.dst === LATERAL.to));
    const requests = during(lateral).reduce((n, w) => n + value(w, LATERAL.workload, LATERAL.to, 'requests'), 0);
    assert.equal(requests, LATERAL.calls);
    assert.ok(!snapshots.some((s) => s.t <= lateral.start && carries(s, LATERAL.workload, LATERAL.to)));
  });

  it('replayed, new-edge or midas catches both with FPR under 2 %, blaming the attackers\' edges, and stays within the false-alarm target on the benign stretch', async () => {
    const outDir = join(result.dir, 'replay');
    await runReplay(result.dir, { outDir, detectors: params.detectors });
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as { detectors: Record<string, { fp: number; tn: number; fpr: number | null; blame: { alarms: number; onPath: number }; events: { outcomes: { detected: boolean }[] } }> };
    const alerts = readFileSync(join(outDir, 'alerts.ndjson'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { t: number; dt: number; detector: string; blamed: { src: string; dst: string }[] });
    const report = ['new-edge', 'midas'].map((n) => `${n}: ${JSON.stringify({ ...summary.detectors[n], operatingPoints: undefined })}`).join('\n');
    const scan = scanEvent();
    const lateral = lateralEvent();
    const inside = (a: { t: number; dt: number }, e: RunEvent) => a.t > e.start && a.t - a.dt < e.end;
    const catches = (name: string) => {
      const d = summary.detectors[name]!;
      const own = alerts.filter((a) => a.detector === name);
      const scanAlarms = own.filter((a) => inside(a, scan));
      const lateralAlarms = own.filter((a) => inside(a, lateral));
      return (
        d.events.outcomes.length === 2 &&
        d.events.outcomes.every((o) => o.detected) &&
        d.fpr !== null &&
        d.fpr < 0.02 &&
        // Blame worked out from the attacks themselves: the first blamed edge is the scanner's, or the lateral edge.
        scanAlarms.length > 0 &&
        scanAlarms.every((a) => a.blamed[0]?.src === SCANNER || a.blamed[0]?.dst === SCANNER) &&
        lateralAlarms.every((a) => a.blamed[0]?.src === LATERAL.workload && a.blamed[0]?.dst === LATERAL.to) &&
        d.blame.onPath === d.blame.alarms
      );
    };
    const catching = ['new-edge', 'midas'].filter(catches);
    assert.ok(catching.length > 0, `neither caught both:\n${report}`);
    // The benign stretch: every scored interval outside the attacks and their grace intervals; at most the target's share of them alarmed.
    for (const name of catching) {
      const d = summary.detectors[name]!;
      assert.ok(d.fp + d.tn >= 15, `${name}: ${d.fp + d.tn} benign intervals scored`);
      assert.ok(d.fp <= FALSE_ALARM_RATE * (d.fp + d.tn), `${name}: ${d.fp} false alarms in ${d.fp + d.tn} benign intervals\n${report}`);
    }
  });
});
