import { it } from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Evaluator } from '../../src/evaluation/index.ts';
import { attackOutcomes } from '../../src/report/attackOutcomes.ts';
import { attackTable } from '../../src/report/html/tables.ts';
import type { ReportModel } from '../../src/report/buildReportModel.ts';
import { buildTimeline } from '../../src/report/timeline.ts';
import type { BlamedEdge, RunEvent, Snapshot } from '../../src/types.ts';

// Bug (tester E, defects 1 and 2): an attack counts as detected by any alarm in its intervals
// (or the one after), whatever that alarm blamed: the spec's rule, kept. But nothing said which
// alarms were about the attack: a volume detector that caught an exfiltration inside a slow
// scan's span, or a background-noise alarm in the scan's interval, read "detected, 7.9 s" for the
// scan like new-edge blaming the scanner's new edges. Each per-attack outcome now carries the
// detecting alarm's first blamed edge and whether it lies on that attack's path, and the
// report's and dashboard's per-attack tables say "blamed elsewhere: a → b" when it does not.
//
// The tester's run e2, on 2-s intervals (t − 2, t] from t0 = 1000 (values worked out by hand):
// a slow scan from user [1050.1, 1068.1), path [user, *]; an egress exfiltration [1056.1, 1056.3)
// user-db → user → external, inside the scan's span.
// - vol alarms once, at t = 1058 (holds the exfiltration and is a scan interval), blaming
//   user → user-db: scan delay 1058 − 1050.1 = 7.9 s, on its path only through the `*` hop;
//   exfiltration delay 1.9 s, user → user-db named outright by its path.
// - noise alarms once, at t = 1052 (a scan interval), blaming shipping → rabbitmq: scan
//   detected (spec) in 1.9 s, but blamed elsewhere; the exfiltration is missed.
const scan: RunEvent = { kind: 'scan', start: 1050.1, end: 1068.1, path: ['user', '*'] };
const exfil: RunEvent = { kind: 'exfiltration', start: 1056.1, end: 1056.3, bytes: 200000, path: ['user-db', 'user', 'external'] };
const edge = (src: string, dst: string): BlamedEdge => ({ src, dst, score: 5 });
const alarms: Record<string, Record<number, BlamedEdge[]>> = {
  vol: { 1058: [edge('user', 'user-db'), edge('front-end', 'user')] },
  noise: { 1052: [edge('shipping', 'rabbitmq'), edge('user', 'user-db')] },
};
const times = Array.from({ length: 50 }, (_, i) => 1002 + 2 * i);

it('summary.json says, per attack and detector, what the detecting alarm blamed first and whether it is on the attack', () => {
  const ev = new Evaluator('e2', [scan, exfil]);
  for (const t of times) {
    for (const [detector, at] of Object.entries(alarms)) {
      const blamed = at[t];
      ev.addVerdict({ t, dt: 2, detector, score: blamed ? 2 : 0, threshold: 1, alarm: blamed !== undefined, training: false, gap: false, blamed: blamed ?? [] });
    }
  }
  const s = ev.summary();
  const [vScan, vExfil] = s.detectors['vol']!.events.outcomes;
  assert.equal(vScan!.detected, true);
  assert.ok(Math.abs(vScan!.delaySeconds! - 7.9) < 1e-9);
  assert.deepEqual(vScan!.firstBlamed, { src: 'user', dst: 'user-db' });
  assert.equal(vScan!.blameOnPath, true, 'a `*` hop matches every edge touching the scanning workload');
  assert.deepEqual(vExfil!.firstBlamed, { src: 'user', dst: 'user-db' });
  assert.equal(vExfil!.blameOnPath, true);
  const [nScan, nExfil] = s.detectors['noise']!.events.outcomes;
  assert.equal(nScan!.detected, true, 'detection stays the spec rule: an alarm in the interval');
  assert.deepEqual(nScan!.firstBlamed, { src: 'shipping', dst: 'rabbitmq' });
  assert.equal(nScan!.blameOnPath, false);
  assert.deepEqual({ ...nExfil! }, { attack: 1, scored: true, detected: false, delaySeconds: null, firstBlamed: null, blameOnPath: null });
  // The pooled count is unchanged: vol's alarm at 1058 is on a path of an attack it is in; noise's is not.
  assert.deepEqual(s.detectors['vol']!.blame, { alarms: 1, onPath: 1 });
  assert.deepEqual(s.detectors['noise']!.blame, { alarms: 1, onPath: 0 });
});

it("the report's attack table says which alarms blamed the attack, and which only fell in its interval", () => {
  const snapshots: Snapshot[] = times.map((t) => ({ t, dt: 2, gap: false, edges: [] }) as unknown as Snapshot);
  const timeline = buildTimeline(snapshots, [scan, exfil]);
  const scored = new Set(times.map((_, i) => i));
  const detectors = Object.entries(alarms).map(([name, at]) => {
    const positions = Object.keys(at).map((t) => timeline.positionOf(Number(t))!);
    const blamedAt = new Map(Object.entries(at).map(([t, b]) => [timeline.positionOf(Number(t))!, b]));
    return { name, color: '#000', outcomes: attackOutcomes(timeline, scored, new Set(positions), blamedAt) };
  });
  const html = String(attackTable({ timeline, detectors } as unknown as ReportModel));
  const cells = [...html.matchAll(/<td class="(hit[^"]*|miss)">([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(cells, [
    // scan: vol, noise
    ['hit', 'detected, 7.9 s, blamed user → user-db'],
    ['hit elsewhere', 'detected, 1.9 s, blamed elsewhere: shipping → rabbitmq'],
    // exfiltration: vol (an edge its path names: nothing added), noise
    ['hit', 'detected, 1.9 s'],
    ['miss', 'missed'],
  ]);
});

it("the dashboard's run page shows the same per-attack outcome from summary.json", async () => {
  register(new URL('../dashboard/browserPathsHook.mjs', import.meta.url));
  const file = join(import.meta.dirname, '..', '..', 'src', 'dashboard', 'web', 'attackOutcomesTable.js');
  const { outcomeCell } = (await import(pathToFileURL(file).href)) as { outcomeCell: (o: unknown, a: unknown) => unknown };
  const o = { attack: 0, scored: true, detected: true, delaySeconds: 1.9 };
  assert.deepEqual(outcomeCell({ ...o, firstBlamed: { src: 'shipping', dst: 'rabbitmq' }, blameOnPath: false }, scan), { text: 'detected, 1.9 s, blamed elsewhere: shipping → rabbitmq', class: 'outcome-hit outcome-elsewhere' });
  assert.deepEqual(outcomeCell({ ...o, firstBlamed: { src: 'user', dst: 'user-db' }, blameOnPath: true }, exfil), { text: 'detected, 1.9 s', class: 'outcome-hit' });
  // A summary written before the fields existed: plain "detected".
  assert.deepEqual(outcomeCell(o, scan), { text: 'detected, 1.9 s', class: 'outcome-hit' });
});
