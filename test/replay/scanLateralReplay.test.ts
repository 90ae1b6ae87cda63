// Scans and lateral movement, replayed from the run format (issue 19): a steady 60-edge run
// with one fast scan and one lateral movement written to events.ndjson with their paths, as
// the experiment is to write them. Replayed with `new-edge` and `midas`, both attacks are
// detected, the alarms blame the attacker's edges, and the benign stretch stays within the
// false-alarm target.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { snapshotToLine } from '../../src/store/index.ts';
import type { Snapshot } from '../../src/types.ts';
import { benignRun } from '../detectors/benignRuns.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

const tmp = makeTempDir('munnin-scan-lateral-');
after(() => tmp.remove());

const DT = 2;
const SCAN_AT = 400;
const LATERAL_AT = 600;
const SCANNER = 'svc-3';

function run(): { dir: string; snapshots: Snapshot[] } {
  const snapshots = benignRun({ shape: 'steady', edges: 60, intervals: 800, seed: 1901 });
  const services = [...new Set(snapshots.flatMap((s) => s.edges.flatMap((e) => [e.src, e.dst])))].filter((n) => n.startsWith('svc-') && n !== SCANNER);
  // Fast scan: one connection to every other service on its service port and two others (no bytes: nothing answers).
  const scan = services.flatMap((dst) => [dst, `${dst}:22`, `${dst}:6379`].map((target) => ({ src: SCANNER, dst: target, values: { tcp_connections: 1 } })));
  // An edge already carrying traffic in that interval gets the attack's counts added (the run format lists each pair once).
  const at = (i: number, extra: Snapshot['edges']) => {
    const edges = [...snapshots[i]!.edges];
    for (const e of extra) {
      const k = edges.findIndex((x) => x.src === e.src && x.dst === e.dst);
      if (k < 0) edges.push(e);
      else edges[k] = { ...edges[k]!, values: Object.fromEntries([...new Set([...Object.keys(edges[k]!.values), ...Object.keys(e.values)])].map((m) => [m, (edges[k]!.values[m] ?? 0) + (e.values[m] ?? 0)])) };
    }
    snapshots[i] = { ...snapshots[i]!, edges };
  };
  at(SCAN_AT, scan);
  // Lateral movement: svc-9 calls svc-1 (callers only ever call later services), 4 calls in each of two intervals.
  for (const i of [LATERAL_AT, LATERAL_AT + 1]) at(i, [{ src: 'svc-9', dst: 'svc-1', values: { requests: 4, request_bytes: 600, response_bytes: 900 } }]);
  const t = (i: number) => snapshots[i]!.t;
  const events = [
    { kind: 'scan', start: t(SCAN_AT) - DT + 0.2, end: t(SCAN_AT) - 0.3, path: [SCANNER, '*'] },
    { kind: 'lateral', start: t(LATERAL_AT) - DT + 0.5, end: t(LATERAL_AT + 1) - 0.5, path: ['svc-9', 'svc-1'] },
  ];
  const metrics = ['requests', 'request_bytes', 'response_bytes', 'tcp_connections'];
  const dir = writeRunFiles(join(tmp.dir, 'run'), {
    manifest: { format: 'munnin-run/1', name: 'scan-lateral', intervalSeconds: DT, metrics },
    snapshots: `${snapshots.map((s) => snapshotToLine(s)).join('\n')}\n`,
    events: `${events.map((e) => JSON.stringify(e)).join('\n')}\n`,
  });
  return { dir, snapshots };
}

test('replay: new-edge and midas detect a fast scan and a lateral movement, blame the attacker’s edges, and keep FPR under 2 %', async () => {
  const { dir } = run();
  const out = join(tmp.dir, 'replay');
  const detectors = resolveParameters({ detectors: { trainingSeconds: 60, enabled: ['new-edge', 'midas'] } }).detectors;
  const log = captureLog();
  const { summary } = await runReplay(dir, { outDir: out, detectors });
  log.restore();
  assert.equal(summary.attacks.length, 2);
  assert.deepEqual(summary.attacks.map((a) => a.kind), ['scan', 'lateral']);
  assert.equal(summary.gapIntervals, 0);
  // Scan: 1 interval; lateral: 2.
  assert.equal(summary.attackIntervals, 3);
  const alerts = readFileSync(join(out, 'alerts.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { t: number; detector: string; attack: boolean; blamed: { src: string; dst: string }[] });
  for (const name of ['new-edge', 'midas']) {
    const d = summary.detectors[name]!;
    assert.equal(d.events.detected, 2, `${name}: detected ${d.events.detected} of 2 attacks`);
    assert.ok(d.fpr !== null && d.fpr < 0.02, `${name}: FPR ${d.fpr} on ${d.fp + d.tn} benign intervals`);
    const mine = alerts.filter((a) => a.detector === name && a.attack);
    assert.ok(mine.length >= 2, `${name}: ${mine.length} alarms in attack intervals`);
    for (const a of mine) {
      const first = a.blamed[0]!;
      const scanEdge = first.src === SCANNER;
      const lateralEdge = first.src === 'svc-9' && first.dst === 'svc-1';
      assert.ok(scanEdge || lateralEdge, `${name} at t=${a.t}: first blamed ${first.src} → ${first.dst}`);
    }
  }
});
