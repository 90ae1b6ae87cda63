import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParameters } from '../../src/config/index.ts';
import { runExperiment, type ExperimentResult } from '../../src/experiment/index.ts';
import type { RunEvent, RunManifest, Snapshot } from '../../src/types.ts';
import { captureLog, makeTempDir, readRunBack, requireBinaryOrSkip, runningDescendants } from '../util.ts';

// A short real experiment through a managed Prometheus (embedded mesh, built-in traffic), whose
// Prometheus is killed with SIGKILL at +8 s. munnin restarts it on the same port and TSDB; the
// run must go on and come out whole: a stretch of gaps around the kill, good intervals with
// traffic after the recovery, and no interval that counts the outage's traffic as its own
// (the reads the restarted server could answer from its pre-crash samples are the risk).
const DURATION_SECONDS = 28;
const KILL_AFTER_INTERVALS = 8;
const EGRESS_AT_SECONDS = 23;
const EGRESS_BYTES = 150_000;
/** An interval with more than this many times the median of the good intervals' traffic would be an inflated one. */
const INFLATION_FACTOR = 3;

const value = (s: Snapshot, src: string, dst: string, metric: string) => s.edges.find((e) => e.src === src && e.dst === dst)?.values[metric] ?? 0;
const totalRequests = (s: Snapshot) => s.edges.reduce((sum, e) => sum + (e.values['requests'] ?? 0), 0);
const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

describe('an experiment whose managed Prometheus is killed mid-run', { timeout: 150_000 }, () => {
  const tmp = makeTempDir('munnin-promfault-');
  const log = captureLog();
  let skipped: string | undefined;
  let result: ExperimentResult;
  let manifest: RunManifest;
  let snapshots: Snapshot[] = [];
  let events: RunEvent[] = [];
  let killed: { pid: number; atSeconds: number } | undefined;
  let killFailure: string | undefined;
  let leftRunning: number[] = [];

  before(async () => {
    // before() has no skip: the tests below skip (or fail under CI=true) on their own.
    if (!requireBinaryOrSkip({ skip: (m) => (skipped = m ?? 'skipped') }, 'prometheus', 'prometheus')) return;
    const params = resolveParameters({
      outputDir: tmp.dir,
      durationSeconds: DURATION_SECONDS,
      intervalSeconds: 1,
      telemetry: { source: 'prometheus' },
      traffic: { generator: 'builtin', users: 6, shape: 'constant', thinkTimeScale: 0.25 },
      mesh: { customers: 100 },
      exfiltration: [{ atSeconds: EGRESS_AT_SECONDS, bytes: EGRESS_BYTES, method: 'egress', workload: 'user' }],
      // Detectors that train in a few intervals: the log must hold the outage's messages only.
      detectors: { enabled: ['ewma', 'new-edge'], trainingSeconds: 5 },
    });
    let recorded = 0;
    const kill = () => {
      const found = runningDescendants('prometheus');
      if (found.length !== 1) {
        killFailure = `expected one prometheus child process, found ${JSON.stringify(found)}`;
        return;
      }
      process.kill(found[0]!, 'SIGKILL');
      killed = { pid: found[0]!, atSeconds: Date.now() / 1000 };
    };
    result = await runExperiment(params, 'killed-prometheus', {
      progress: false,
      onSnapshot: () => {
        if (++recorded === KILL_AFTER_INTERVALS) kill();
      },
    });
    leftRunning = runningDescendants('prometheus');
    ({ manifest, snapshots, events } = await readRunBack(result.dir));
  });
  after(() => {
    log.restore();
    tmp.remove();
  });

  const ready = (t: { skip(message?: string): void }) => {
    if (skipped !== undefined) t.skip(skipped);
    return skipped === undefined;
  };

  it('records the whole run, readable by the store readers, and leaves no Prometheus running', (t) => {
    if (!ready(t)) return;
    assert.equal(killFailure, undefined, killFailure);
    assert.ok(killed, 'the Prometheus child was killed');
    assert.equal(result.complete, true);
    assert.equal(manifest.complete, true);
    assert.equal((manifest.source as { kind?: string; managed?: string }).managed, 'prometheus');
    assert.equal(snapshots.length, DURATION_SECONDS);
    assert.equal(result.intervals, DURATION_SECONDS);
    for (const [i, s] of snapshots.entries()) {
      assert.ok(Math.abs(s.dt - 1) < 0.01, `interval ${i}: dt ${s.dt}`);
      for (const e of s.edges) for (const [metric, v] of Object.entries(e.values)) assert.ok(v >= 0, `interval ${i}: ${e.src}→${e.dst} ${metric} ${v}`);
    }
    assert.deepEqual(leftRunning, [], 'the restarted Prometheus was stopped with the run');
  });

  it('records one stretch of gaps, with reasons, from the kill until the restarted Prometheus is read again', (t) => {
    if (!ready(t)) return;
    const gaps = snapshots.filter((s) => s.gap);
    assert.equal(result.gaps, gaps.length);
    assert.ok(gaps.length >= 3, `${gaps.length} gaps`);
    const first = snapshots.indexOf(gaps[0]!);
    const last = snapshots.indexOf(gaps.at(-1)!);
    assert.equal(last - first + 1, gaps.length, `gaps at ${snapshots.map((s) => (s.gap ? 'G' : '.')).join('')}`);
    // A snapshot is labelled with its evaluation time, 1.25 s before the boundary that read it.
    assert.ok(gaps[0]!.t > killed!.atSeconds - 1.25 - 1, `first gap at ${gaps[0]!.t}, kill at ${killed!.atSeconds}`);
    assert.ok(gaps[0]!.t < killed!.atSeconds + 1, `first gap at ${gaps[0]!.t}, kill at ${killed!.atSeconds}`);
    for (const g of gaps) assert.ok(typeof g.reason === 'string' && g.reason.length > 0, `gap at ${g.t} without a reason`);
    const reasons = gaps.map((g) => g.reason!).join('\n');
    assert.match(reasons, /managed prometheus is restarting \(its process was killed by SIGKILL\)/);
    assert.equal(gaps.at(-1)!.reason, 'first read after a telemetry fault');
  });

  it('reads traffic again after the recovery, none of it inflated by the outage', (t) => {
    if (!ready(t)) return;
    const lastGap = snapshots.findLastIndex((s) => s.gap);
    const recovered = snapshots.slice(lastGap + 1);
    assert.ok(recovered.length >= 4, `${recovered.length} good intervals after the recovery`);
    for (const s of recovered) assert.ok(value(s, 'external', 'front-end', 'requests') > 0, `no traffic at ${s.t}`);
    const good = snapshots.filter((s) => !s.gap);
    for (const [name, of] of [
      ['external→front-end requests', (s: Snapshot) => value(s, 'external', 'front-end', 'requests')],
      ['requests on all edges', totalRequests],
    ] as const) {
      const typical = median(good.map(of));
      assert.ok(typical > 0, name);
      for (const s of good) assert.ok(of(s) <= INFLATION_FACTOR * typical, `${name} at ${s.t}: ${of(s)}, median ${typical}`);
    }
  });

  it('records the exfiltration after the recovery on user → external', (t) => {
    if (!ready(t)) return;
    const egress = events.filter((e) => e.kind === 'exfiltration');
    assert.equal(egress.length, 1);
    const e = egress[0]!;
    assert.ok(e.bytes! >= EGRESS_BYTES);
    const during = snapshots.filter((s) => s.t > e.start && s.t - s.dt < e.end + 1.5);
    assert.ok(during.length > 0 && during.every((s) => !s.gap), 'the exfiltration fell after the recovery');
    const seen = during.reduce((sum, s) => sum + value(s, 'user', 'external', 'request_bytes'), 0);
    assert.ok(seen >= e.bytes! && seen < 1.5 * e.bytes!, `${seen} bytes user→external for ${e.bytes} moved`);
  });

  it('logs the outage once and the recovery once, from the Prometheus process and from the reads', (t) => {
    if (!ready(t)) return;
    const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    const died = warnings.filter((m) => m.startsWith(`managed prometheus (pid ${killed!.pid}) was killed by SIGKILL unexpectedly; restarting it in 1.0 s`));
    assert.equal(died.length, 1, warnings.join('\n'));
    assert.equal(warnings.filter((m) => /^prometheus source \(http:\/\/127\.0\.0\.1:\d+\): cannot read telemetry/.test(m)).length, 1, warnings.join('\n'));
    const infos = log.messages.filter((m) => m.level === 'info').map((m) => m.message);
    assert.equal(infos.filter((m) => /^managed prometheus is back \(pid \d+\) after [\d.]+ s, scraping all \d+ sidecars again/.test(m)).length, 1, infos.join('\n'));
    assert.equal(infos.filter((m) => /telemetry readable again/.test(m)).length, 1, infos.join('\n'));
    assert.equal(log.text('error'), '');
  });
});
