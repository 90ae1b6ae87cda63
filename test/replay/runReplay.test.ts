import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'munnin-cybermonday-30k');
const tmp = makeTempDir('munnin-runreplay-');
after(() => tmp.remove());
const detectors = resolveParameters({ detectors: { trainingSeconds: 60 } }).detectors;

const readLines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n');

describe('runReplay', () => {
  it('replays the 2018 Munnin run through every detector with consistent summary, scores and alerts', async () => {
    const out = join(tmp.dir, 'cm');
    const log = captureLog();
    const { summary, startSeconds } = await runReplay(fixture, { outDir: out, detectors });
    log.restore();
    assert.equal(startSeconds, 1500000000.005);
    assert.equal(summary.run, 'cybermonday-i6-r0');
    assert.equal(summary.intervals, 72);
    assert.equal(summary.gapIntervals, 0);
    // Training: intervals ending within 60 s of the start (t − 1500000000.005 ≤ 60): the first 11.
    assert.equal(summary.trainingIntervals, 11);
    assert.equal(summary.scoredIntervals, 61);
    // Each of the 5 events was written to cover exactly one slice.
    assert.equal(summary.attackIntervals, 5);
    // The interval after each, unless the next attack holds it (+205 → +210, +315 → +320): +215, +310, +325.
    assert.equal(summary.graceIntervals, 3);
    assert.equal(summary.attacks.length, 5);
    const names = Object.keys(summary.detectors);
    assert.deepEqual(names, detectors.enabled);
    const alerts = readLines(join(out, 'alerts.ndjson')).map((l) => JSON.parse(l));
    const scores = readLines(join(out, 'scores.csv'));
    assert.equal(scores.length, 1 + 61 * names.length);
    for (const name of names) {
      const d = summary.detectors[name]!;
      assert.equal(d.tp + d.fp + d.tn + d.fn, 61 - 3, `${name}: grace intervals are left out`);
      assert.equal(d.tp + d.fn, 5, name);
      assert.equal(d.events.total, 5, `${name}: all 5 events counted`);
      assert.ok(d.auc === null || (d.auc >= 0 && d.auc <= 1), name);
      const mine = alerts.filter((a) => a.detector === name);
      const rows = scores.filter((r) => r.split(',')[1] === name);
      assert.equal(mine.length, rows.filter((r) => r.endsWith(',true')).length, `${name}: one alert per alarm`);
      assert.equal(mine.filter((a) => a.attack).length, d.tp, `${name}: alerts in attack intervals = TP`);
      assert.equal(d.blame.alarms, d.tp, `${name}: blame counts the alarms in attack intervals`);
      const graceT = new Set([215, 310, 325]);
      const counted = mine.filter((a) => !graceT.has(Math.round(a.t - 1500000000)));
      assert.equal(counted.length, d.tp + d.fp, `${name}: TP + FP = alarms outside grace intervals`);
      // Every attack's path is user-db → user → front-end → 172.17.0.1 (events.ndjson; undirected pairs).
      const onPath = mine.filter((a) => a.attack && a.blamed.length > 0 && ['user-db|user', 'user|front-end', 'front-end|172.17.0.1'].some((p) => [`${a.blamed[0].src}|${a.blamed[0].dst}`, `${a.blamed[0].dst}|${a.blamed[0].src}`].includes(p)));
      assert.equal(d.blame.onPath, onPath.length, `${name}: blame on path, counted from alerts.ndjson`);
      assert.ok(mine.every((a) => Array.isArray(a.blamed) && a.blamed.every((b: { src: unknown; dst: unknown }) => typeof b.src === 'string' && typeof b.dst === 'string')));
      assert.equal(rows.length, 61);
      if (d.events.detected > 0) assert.ok(d.events.meanDelaySeconds! > 0 && d.events.meanDelaySeconds! <= 10.1, `${name}: delay within the event's slice or the next`);
    }
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')), JSON.parse(JSON.stringify(summary)));
  });

  it('adds injected exfiltration to the traffic and to the ground truth', async () => {
    const out = join(tmp.dir, 'cm-inject');
    const log = captureLog();
    const { summary } = await runReplay(fixture, {
      outDir: out,
      detectors: { ...detectors, enabled: ['control-chart'] },
      inject: [{ bytesPerInterval: 5_000_000, at: [{ startSeconds: 150, endSeconds: 160 }] }],
      injectPath: ['user-db', 'user', 'front-end', '172.17.0.1'],
    });
    log.restore();
    assert.equal(summary.attacks.length, 6);
    const injected = summary.attacks.findIndex((a) => a.method === 'synthetic');
    // The window [150, 160) s after the start (1500000000.005) takes the two slices whose middles
    // lie in it, (150.14, 155.14] and (155.145, 160.145] (snapshots.ndjson), whole; the slice
    // (145.135, 150.135], of which the window holds 0.13 s, stays benign: 2 more attack intervals.
    assert.equal(summary.attacks[injected]!.start, 1500000150.14);
    assert.equal(summary.attacks[injected]!.end, 1500000160.145);
    assert.equal(summary.attacks[injected]!.bytes, 10_000_000);
    assert.equal(summary.attackIntervals, 7);
    // 5 MB per slice on front-end → user, which carries ≈ 90 kB per slice: a control chart must see it.
    const outcome = summary.detectors['control-chart']!.events.outcomes[injected]!;
    assert.equal(outcome.detected, true);
    const alerts = readLines(join(out, 'alerts.ndjson')).map((l) => JSON.parse(l));
    assert.ok(alerts.some((a) => a.attack && a.blamed.some((b: { src: string; dst: string }) => b.src === 'front-end' && b.dst === 'user')));
    // The ground truth scored against is written beside the results (what the report reads):
    // the run's five exfiltrations and the injected one, over the slices it took.
    const truth = readLines(join(out, 'events.ndjson')).map((l) => JSON.parse(l) as { kind: string; method?: string; start: number; end: number });
    assert.equal(truth.filter((e) => e.kind === 'exfiltration').length, 6);
    const synthetic = truth.filter((e) => e.method === 'synthetic');
    assert.equal(synthetic.length, 1);
    assert.equal(synthetic[0]!.start, 1500000150.14);
    assert.equal(synthetic[0]!.end, 1500000160.145);
  });

  it('stops when its signal fires, leaving no unfinished files', async () => {
    const out = join(tmp.dir, 'aborted');
    const controller = new AbortController();
    let seen = 0;
    const reason = new Error('stop here');
    await assert.rejects(
      runReplay(fixture, {
        outDir: out,
        detectors: { ...detectors, enabled: ['ewma'] },
        signal: controller.signal,
        onProgress: (p) => {
          seen = p.intervals;
          if (p.intervals === 5) controller.abort(reason);
        },
      }),
      (e: unknown) => e === reason,
    );
    assert.equal(seen, 5, 'no interval read after the stop');
    assert.deepEqual(readdirSync(out), []);
  });

  it('passes gaps on unscored and names bad lines, skipping them', async () => {
    const lines: string[] = [];
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 100;
    for (let i = 1; i <= 40; i++) {
      const t = 1000 + 2 * i;
      if (i === 25 || i === 26) lines.push(JSON.stringify({ t, dt: 2, gap: true, edges: [] }));
      else if (i === 30) lines.push('{"t": 1060, "dt": 2, "edges": [oops]}');
      else lines.push(JSON.stringify({ t, dt: 2, edges: [{ src: 'a', dst: 'b', requests: 10, response_bytes: 1000 + noise(), future_metric: 1 }] }));
    }
    const dir = writeRunFiles(join(tmp.dir, 'gappy'), {
      manifest: { format: 'munnin-run/1', intervalSeconds: 2, metrics: ['requests', 'response_bytes'], unknownField: true },
      snapshots: lines.join('\n') + '\n{"t": 1082, "dt"',
      events: '',
    });
    const out = join(tmp.dir, 'gappy-out');
    const log = captureLog();
    const { summary } = await runReplay(dir, { outDir: out, detectors: { ...detectors, trainingSeconds: 20, enabled: ['control-chart', 'ewma'] } });
    log.restore();
    assert.equal(summary.intervals, 39, '40 lines, one bad one skipped, the cut-off last line ignored');
    assert.equal(summary.gapIntervals, 2);
    assert.equal(summary.trainingIntervals, 10);
    assert.equal(summary.scoredIntervals, 39 - 10 - 2);
    assert.equal(summary.attackIntervals, 0);
    assert.equal(summary.detectors['ewma']!.auc, null);
    const times = readLines(join(out, 'scores.csv')).slice(1).map((r) => Number(r.split(',')[0]));
    assert.ok(!times.includes(1050) && !times.includes(1052), 'gaps are not scored');
    assert.match(log.text('warn'), /snapshots\.ndjson:30: not valid JSON/);
    // The cut-off last line is said as a warning (it is not counted as a bad line).
    assert.match(log.text('warn'), /snapshots\.ndjson:41: last line is incomplete/);
  });
});
