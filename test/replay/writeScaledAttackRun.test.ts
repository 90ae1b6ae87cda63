import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeScaledAttackRun } from '../../src/replay/index.ts';
import { makeTempDir, writeRunFiles } from '../util.ts';

const tmp = makeTempDir('munnin-scaled-attack-');
after(() => tmp.remove());

/** a → b tcp_sent_bytes per slice (t = 5, 10, …, 60); slice 6, (30, 35], holds the attack, slice 7 the bytes that spilled. */
const AB = [100, 110, 90, 105, 95, 100, 400, 160, 100, 120, 80, 100];

function recorded(name: string): string {
  const snapshots = AB.map((v, i) => {
    const edges = [{ src: 'a', dst: 'b', tcp_sent_bytes: v, tcp_received_bytes: 10 }, { src: 'c', dst: 'd', tcp_sent_bytes: i === 6 ? 1000 : 50 }];
    if (i === 6) edges.push({ src: 'b', dst: 'a', tcp_sent_bytes: 70 });
    return JSON.stringify({ t: 5 * (i + 1), dt: 5, edges });
  });
  const events = [
    { kind: 'exfiltration', start: 30.1, end: 34.9, bytes: 30000, path: ['d', 'b', 'a', 'x'] },
    { kind: 'marker', start: 1, end: 2 },
  ];
  return writeRunFiles(join(tmp.dir, name), {
    manifest: { format: 'munnin-run/1', name, intervalSeconds: 5, metrics: ['tcp_sent_bytes', 'tcp_received_bytes'] },
    snapshots: `${snapshots.join('\n')}\n`,
    events: `${events.map((e) => JSON.stringify(e)).join('\n')}\n`,
  });
}

type Line = { t: number; edges: { src: string; dst: string; tcp_sent_bytes?: number; tcp_received_bytes?: number }[] };
const lines = (dir: string) => readFileSync(join(dir, 'snapshots.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
const sent = (line: Line, src: string, dst: string) => line.edges.find((e) => e.src === src && e.dst === dst)?.tcp_sent_bytes;

test("an attack's excess over the median of the nearest non-attack slices is scaled, in its slice and the next, on the links listed only", async () => {
  const source = recorded('run');
  const out = join(tmp.dir, 'third');
  const { events } = await writeScaledAttackRun(source, out, { factor: 1 / 3, links: [['a', 'b']] });
  const copy = lines(out);
  // Slice 6: the nearest non-attack slices (7 is the attack's next) are 5, 4, 8, 3, 9, 2: 100, 95, 100, 105,
  // 120, 90, median (100 + 100)/2 = 100; 100 + (400 − 100)/3 = 200.
  assert.equal(sent(copy[6]!, 'a', 'b'), 200);
  // Slice 7: 8, 5, 9, 4, 10, 3: 100, 100, 120, 95, 80, 105, median 100; 100 + 60/3 = 120.
  assert.equal(sent(copy[7]!, 'a', 'b'), 120);
  // b → a is the same link: it has no other slice, so no baseline, and stays as recorded; c → d is not listed.
  assert.equal(sent(copy[6]!, 'b', 'a'), 70);
  assert.equal(sent(copy[6]!, 'c', 'd'), 1000);
  // Received bytes at their baseline (10 everywhere): nothing to scale.
  assert.equal(copy[6]!.edges.find((e) => e.src === 'a')!.tcp_received_bytes, 10);
  // Every other slice as recorded.
  for (const k of [0, 1, 2, 3, 4, 5, 8, 9, 10, 11]) assert.equal(sent(copy[k]!, 'a', 'b'), AB[k], `slice ${k}`);
  // The attack's bytes scaled alike (the size it was, kept); other events as they were.
  assert.deepEqual(events.map((e) => [e.kind, e.bytes, e['scaledFrom']]), [['exfiltration', 10000, 30000], ['marker', undefined, undefined]]);
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { name: string; injected: { scaledAttacks: { factor: number } } };
  assert.equal(manifest.name, 'run-scaled');
  assert.equal(manifest.injected.scaledAttacks.factor, 1 / 3);
});

test('with periodSlices the baseline comes from slices in the attack slice’s phase only; factor 1 leaves the run as recorded', async () => {
  const source = recorded('phase');
  const out = join(tmp.dir, 'phase-out');
  await writeScaledAttackRun(source, out, { factor: 1 / 3, links: [['a', 'b']], periodSlices: 2 });
  // Slice 6, every second slice: 4, 8, 2, 10, 0 (12 is past the end): 95, 100, 90, 80, 100, median 95;
  // 95 + (400 − 95)/3 = 196.67, rounded to 197.
  assert.equal(sent(lines(out)[6]!, 'a', 'b'), 197);
  const same = join(tmp.dir, 'same');
  await writeScaledAttackRun(source, same, { factor: 1, links: [['a', 'b']] });
  assert.deepEqual(lines(same).map((l) => sent(l, 'a', 'b')), AB);
});

test('a run without an exfiltration, or a negative factor, is refused', async () => {
  const source = writeRunFiles(join(tmp.dir, 'benign'), {
    manifest: { format: 'munnin-run/1', name: 'benign', intervalSeconds: 5, metrics: ['tcp_sent_bytes'] },
    snapshots: '{"t": 5, "dt": 5, "edges": [{"src": "a", "dst": "b", "tcp_sent_bytes": 1}]}\n',
    events: '',
  });
  await assert.rejects(writeScaledAttackRun(source, join(tmp.dir, 'benign-out'), { factor: 0.5, links: [['a', 'b']] }), /no exfiltration to scale/);
  await assert.rejects(writeScaledAttackRun(recorded('neg'), join(tmp.dir, 'neg-out'), { factor: -1, links: [['a', 'b']] }), /factor must be a number ≥ 0 \(got -1\)/);
});
