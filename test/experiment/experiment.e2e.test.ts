import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { DETECTOR_NAMES } from '../../src/detectors/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { runExperiment, type ExperimentResult } from '../../src/experiment/index.ts';
import { SOCK_SHOP_EDGES, SOCK_SHOP_WORKLOADS } from '../../src/mesh/index.ts';
import type { RunEvent, RunManifest, Snapshot, Verdict } from '../../src/types.ts';
import { captureLog, makeTempDir, readRunBack, exclusively } from '../util.ts';

// A short real experiment on the embedded mesh (direct scrape, built-in traffic), checked
// from the files it wrote, then replayed through every detector. Exfiltrated bytes must show on the edges of their path, in the
// intervals events.ndjson names, and not before.
const API_BYTES = 300_000;
const EGRESS_BYTES = 250_000;
/**
 * Tolerance on exfiltrated bytes seen on an edge: at most 1.5× the bytes moved plus the
 * background the edge carries in as many intervals (the benign intervals' maximum), and at
 * least `floor`× the bytes moved: 1 on the edges the moved bytes cross as they are, 0.4 on
 * user → user-db for the `api` method, because the store holds the bare records while the
 * API the attacker counts adds Sock Shop's hypermedia links (about 40 % of its bytes).
 */
const OVERHEAD = 1.5;
const API_STORE_FLOOR = 0.4;

describe('npm run experiment, end to end on the embedded mesh', { timeout: 120_000 }, () => {
  const tmp = makeTempDir('munnin-e2e-');
  let result: ExperimentResult;
  let manifest: RunManifest;
  let snapshots: Snapshot[] = [];
  let events: RunEvent[] = [];
  const verdicts: Verdict[] = [];
  const log = captureLog();

  before(async () => {
    const params = resolveParameters({
      outputDir: tmp.dir,
      durationSeconds: 46,
      intervalSeconds: 1,
      telemetry: { source: 'scrape' },
      traffic: { generator: 'builtin', users: 8, shape: 'constant', thinkTimeScale: 0.25 },
      mesh: { customers: 400 },
      // The api exfiltration after 20 scored or learnt intervals of the volume charts (a series
      // warms up on 5 values, a calibrated threshold needs MIN_CALIBRATION_SCORES = 20 scores).
      exfiltration: [
        { atSeconds: 28, bytes: API_BYTES, method: 'api' },
        { atSeconds: 37, bytes: EGRESS_BYTES, method: 'egress', workload: 'user' },
      ],
      detectors: { trainingSeconds: 16 },
    });
    result = await exclusively('realtime-experiment', () => runExperiment(params, 'e2e', { progress: false, onVerdict: (v) => verdicts.push(v) }));
    ({ manifest, snapshots, events } = await readRunBack(result.dir));
  });
  after(() => {
    log.restore();
    tmp.remove();
  });

  it('writes a complete manifest naming what was used', () => {
    assert.equal(manifest.format, 'munnin-run/1');
    assert.equal(manifest.name, 'e2e');
    assert.equal(manifest.intervalSeconds, 1);
    assert.equal(manifest.complete, true);
    assert.deepEqual([...(manifest.services ?? [])].sort(), [...SOCK_SHOP_WORKLOADS].sort());
    assert.equal((manifest.source as { kind?: string }).kind, 'scrape');
    assert.equal((manifest.traffic as { generator?: string }).generator, 'builtin');
    assert.ok(manifest.metrics.includes('request_bytes') && manifest.metrics.includes('tcp_sent_bytes'));
  });

  it('records one interval per second, in order, without gaps', () => {
    assert.equal(snapshots.length, 46);
    assert.equal(result.intervals, 46);
    for (const [i, s] of snapshots.entries()) {
      assert.equal(s.gap, false, `interval ${i} is a gap: ${s.reason}`);
      assert.ok(Math.abs(s.dt - 1) < 0.25, `interval ${i} dt ${s.dt}`);
      if (i > 0) assert.ok(s.t > snapshots[i - 1]!.t);
    }
  });

  it('shows every Sock Shop edge the traffic exercises and no edge the topology lacks', () => {
    const seen = new Set(snapshots.flatMap((s) => s.edges.map((e) => `${e.src}→${e.dst}`)));
    const allowed = new Set([...SOCK_SHOP_EDGES.map((e) => `${e.src}→${e.dst}`), 'external→front-end', 'user→external']);
    for (const edge of seen) assert.ok(allowed.has(edge), `unexpected edge ${edge}`);
    for (const e of SOCK_SHOP_EDGES) assert.ok(seen.has(`${e.src}→${e.dst}`), `edge ${e.src}→${e.dst} never carried traffic`);
    assert.ok(seen.has('external→front-end'), 'outside users reach the front-end');
  });

  it('records each exfiltration in events.ndjson with its real start, end and bytes', () => {
    const attacks = events.filter((e) => e.kind === 'exfiltration');
    assert.deepEqual(attacks.map((e) => e.method), ['api', 'egress']);
    const t0 = snapshots[0]!.t - snapshots[0]!.dt;
    const [api, egress] = attacks as [RunEvent, RunEvent];
    assert.ok(api.bytes! >= API_BYTES && api.bytes! < API_BYTES * 1.2, `api moved ${api.bytes}`);
    assert.ok(egress.bytes! >= EGRESS_BYTES && egress.bytes! < EGRESS_BYTES * 1.2, `egress moved ${egress.bytes}`);
    assert.deepEqual(api.path, ['user-db', 'user', 'front-end', 'external']);
    assert.deepEqual(egress.path, ['user-db', 'user', 'external']);
    for (const [e, at] of [[api, 28], [egress, 37]] as const) {
      assert.ok(e.end > e.start);
      assert.ok(Math.abs(e.start - t0 - at) < 1, `${e.method} started at +${(e.start - t0).toFixed(2)} s, scheduled +${at} s`);
    }
  });

  const value = (s: Snapshot, src: string, dst: string, metric: string) => s.edges.find((e) => e.src === src && e.dst === dst)?.values[metric] ?? 0;
  /** Intervals (t-dt, t] overlapping [start, end), plus the next one (a scrape may land just after). */
  const during = (e: RunEvent) => {
    const inside = snapshots.filter((s) => s.t > e.start && s.t - s.dt < e.end);
    const next = snapshots[snapshots.indexOf(inside[inside.length - 1]!) + 1];
    return next ? [...inside, next] : inside;
  };
  /** Intervals that ended before `e` began and belong to no attack. */
  const before_ = (e: RunEvent) => {
    const attacked = new Set(events.filter((x) => x.kind === 'exfiltration').flatMap(during));
    return snapshots.filter((s) => s.t <= e.start && !attacked.has(s));
  };

  function assertOnEdge(e: RunEvent, src: string, dst: string, metric: string, floor = 1) {
    const bytes = e.bytes!;
    const inWindow = during(e).reduce((sum, s) => sum + value(s, src, dst, metric), 0);
    const benign = before_(e).map((s) => value(s, src, dst, metric));
    const backgroundMax = Math.max(0, ...benign);
    const window = during(e).length;
    assert.ok(inWindow >= bytes * floor, `${src}→${dst} ${metric}: ${inWindow} bytes in the attack's intervals, fewer than ${floor}× the ${bytes} moved`);
    assert.ok(inWindow <= bytes * OVERHEAD + backgroundMax * window, `${src}→${dst} ${metric}: ${inWindow} bytes, more than ${OVERHEAD}× ${bytes} + background`);
    assert.ok(backgroundMax < bytes / 4, `${src}→${dst} ${metric}: ${backgroundMax} bytes in one interval before the attack began`);
  }

  it('puts the api exfiltration on external→front-end→user→user-db in its intervals, not before', () => {
    const api = events.find((e) => e.method === 'api')!;
    assertOnEdge(api, 'front-end', 'user', 'response_bytes');
    assertOnEdge(api, 'user', 'user-db', 'tcp_sent_bytes', API_STORE_FLOOR);
    const toOutside = during(api).reduce((sum, s) => sum + value(s, 'external', 'front-end', 'response_bytes'), 0);
    assert.ok(toOutside >= api.bytes!, `external→front-end response bytes ${toOutside} < ${api.bytes}`);
  });

  it('puts the egress exfiltration on user-db→user→external (PassthroughCluster) in its intervals, not before', () => {
    const egress = events.find((e) => e.method === 'egress')!;
    assertOnEdge(egress, 'user', 'external', 'request_bytes');
    assertOnEdge(egress, 'user', 'user-db', 'tcp_sent_bytes');
    assert.equal(before_(egress).some((s) => value(s, 'user', 'external', 'request_bytes') > 0), false);
  });

  it('runs the detectors live and leaves no error in the log', () => {
    assert.equal(log.text('error'), '');
    assert.equal(result.exfiltrations, 2);
    // Every detector (all are enabled by default) judged every recorded interval, and scored the ones after training.
    assert.deepEqual([...new Set(verdicts.map((v) => v.detector))].sort(), [...DETECTOR_NAMES].sort());
    for (const name of DETECTOR_NAMES) {
      const own = verdicts.filter((v) => v.detector === name);
      assert.deepEqual(
        own.map((v) => v.t),
        snapshots.map((s) => s.t),
        `${name}: one verdict per interval`,
      );
      assert.ok(own.some((v) => !v.training && Number.isFinite(v.score)), `${name} scored no interval after training`);
    }
    assert.equal(result.alarms, verdicts.filter((v) => v.alarm).length);
  });

  it('replays into a summary of every detector: the api exfiltration caught by a volume detector, the egress to a new destination by new-edge, each with FPR under 5 %', async () => {
    // The egress opens an edge (user → external) never seen before: the volume charts do not
    // score a series before it has 5 active values of its own (a newcomer has no baseline; a
    // rule about allowed edges is new-edge's), so that one is new-edge's to catch.
    const params = resolveParameters({ detectors: { trainingSeconds: 16 } });
    const { summary } = await runReplay(result.dir, { outDir: join(result.dir, 'replay'), detectors: params.detectors });
    const written = JSON.parse(readFileSync(join(result.dir, 'replay', 'summary.json'), 'utf8')) as typeof summary;
    assert.deepEqual(Object.keys(written.detectors).sort(), [...DETECTOR_NAMES].sort());
    assert.equal(written.attackIntervals >= 2, true);
    const caught = (name: string, attack: number) => {
      const d = written.detectors[name]!;
      return d.events.outcomes[attack]!.detected && d.fpr !== null && d.fpr < 0.05;
    };
    const volume = ['control-chart', 'ewma', 'pair-ratio', 'three-tier'] as const;
    const report = [...volume, 'new-edge'].map((n) => `${n}: ${JSON.stringify(written.detectors[n])}`).join('\n');
    assert.ok(volume.some((name) => caught(name, 0)), `api exfiltration:\n${report}`);
    assert.ok(caught('new-edge', 1), `egress:\n${report}`);
  });
});
