import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { classifyIntervals } from '../../src/evaluation/index.ts';
import { runReplay, writeInjectedRun } from '../../src/replay/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug: on a run whose interval ends drift off the grid (a recording: the 2018 Munnin runs'
// slices are 5 s long but end every ≈ 5.005 s), an --inject window got an extra attack
// interval holding almost none of the attack: `--inject 50000@120-130` on the 30 kB run
// shared 0.107 s with the slice (115.108, 120.112], which got a 1,070-byte sliver and was
// scored as a full attack interval (8 attack intervals where 5 + 2 = 7: every detector one
// FN). A sweep's injected copy (writeInjectedRun) recorded `bytes: 20000`, two slices' worth,
// over 3 attack intervals. Now a window takes the intervals whose middle lies in it, whole,
// and the attack recorded spans exactly those intervals.
const BASE = 1_800_000_000;
const B = 50_000;
/** ewma alone, 20 s of training: the detector is beside the point, the attack intervals are. */
const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 20 } }).detectors;

/** 40 slices of 5 s ending every `step` s (default 5.005: 0.005 s between them; 4.995: each overlaps the one before by 0.005 s). */
function writeDriftingRun(dir: string, step = 5.005): number[] {
  const ts = Array.from({ length: 40 }, (_, i) => BASE + step * (i + 1));
  const snapshots = ts.map((t) => `${JSON.stringify({ t, dt: 5, edges: [{ src: 'front-end', dst: 'user', response_bytes: 1000 }, { src: 'user', dst: 'user-db', tcp_sent_bytes: 500 }] })}\n`).join('');
  writeRunFiles(dir, { manifest: { format: 'munnin-run/1', intervalSeconds: 5, metrics: ['response_bytes', 'tcp_sent_bytes'] }, snapshots, events: '' });
  return ts;
}

it('an --inject window on drifting intervals takes the intervals whose middle is in it, whole, and marks exactly those', async () => {
  const tmp = makeTempDir('munnin-inject-drift-');
  const log = captureLog();
  try {
    const run = join(tmp.dir, 'run');
    const ts = writeDriftingRun(run);
    // The run starts at ts[0] − 5 = BASE + 0.005; the window 120-130 s is [BASE + 120.005, BASE + 130.005).
    // Middles: slice 24 (115.12, 120.12] at 117.62: out (it holds 0.115 s of the window);
    // slice 25 (120.125, 125.125] at 122.625 and slice 26 (125.13, 130.13] at 127.63: in;
    // slice 27 (130.135, 135.135] at 132.635: out.
    const [s25, s26] = [ts[24]!, ts[25]!];
    const expected = { kind: 'exfiltration', start: s25 - 5, end: s26, bytes: 2 * B, path: ['user-db', 'user', 'front-end', 'external'], method: 'synthetic', injected: true };

    const out = join(tmp.dir, 'out');
    const { summary } = await runReplay(run, { outDir: out, detectors, inject: [{ bytesPerInterval: B, at: [{ startSeconds: 120, endSeconds: 130 }] }] });
    assert.deepEqual(summary.attacks, [expected]);
    assert.equal(summary.attackIntervals, 2, 'slices 25 and 26 only');
    assert.equal(summary.graceIntervals, 1, 'slice 27');
    const written = readFileSync(join(out, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(written, [expected]);
    // What the report, export and dashboard do with that file: the same two attack intervals.
    const classes = classifyIntervals(ts.map((t) => ({ t, dt: 5 })), written);
    assert.deepEqual(ts.filter((_, i) => classes[i]!.attack), [s25, s26]);
    assert.deepEqual(log.messages.filter((m) => m.level === 'warn' && /^--inject /.test(m.message)).map((m) => m.message), [], 'a window covering whole intervals is not warned about');

    // The sweep's injected copy: the bytes in the two slices, the attack over them.
    const copy = join(tmp.dir, 'copy');
    const { events } = await writeInjectedRun(run, copy, { inject: [{ bytesPerInterval: B, at: [{ startSeconds: 120, endSeconds: 130 }] }] });
    assert.deepEqual(events, [expected]);
    const lines = readFileSync(join(copy, 'snapshots.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: number; edges: { src: string; dst: string; response_bytes?: number }[] });
    const pulled = lines.map((s) => (s.edges.find((e) => e.src === 'front-end' && e.dst === 'user')?.response_bytes ?? 0) - 1000);
    assert.deepEqual(lines.filter((_, i) => pulled[i]! > 0).map((s) => s.t), [s25, s26]);
    assert.deepEqual(pulled.filter((b) => b > 0), [B, B]);
    const copied = classifyIntervals(lines.map((s) => ({ t: s.t, dt: 5 })), readFileSync(join(copy, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)));
    assert.equal(copied.filter((c) => c.attack).length, 2);
  } finally {
    log.restore();
    tmp.remove();
  }
});

it('a window the run ends in, and one covering no interval middle, are said so', async () => {
  const tmp = makeTempDir('munnin-inject-drift-end-');
  const log = captureLog();
  try {
    const run = join(tmp.dir, 'run');
    const ts = writeDriftingRun(run);
    // The run covers (BASE + 0.005, BASE + 200.2], 200.195 s; seconds after its start below.
    // 190-210: slices 39 (190.19, 195.19] and 40 (195.195, 200.195] are taken (middles 192.69
    // and 197.695), and the next would have its middle (202.695) in the window: cut by the
    // run's end. 143-144: no middle in it (slice 29's is 142.64, slice 30's 147.645).
    const { summary } = await runReplay(run, {
      outDir: join(tmp.dir, 'out'),
      detectors,
      inject: [{ bytesPerInterval: B, at: [{ startSeconds: 190, endSeconds: 210 }, { startSeconds: 143, endSeconds: 144 }] }],
    });
    assert.deepEqual(summary.attacks.map((a) => [a.start, a.end, a.bytes]), [[ts[38]! - 5, ts[39]!, 2 * B]]);
    assert.deepEqual(log.messages.filter((m) => m.level === 'warn' && /^--inject /.test(m.message)).map((m) => m.message), [
      `--inject ${B}@190-210: the run ends at 200.195 s: injected 190.19-200.195 s, ${2 * B} bytes of the 200000 asked; the attack is recorded as injected`,
      `--inject ${B}@143-144: no interval of the run has its middle in the window (an interval is injected whole when it does): nothing injected, no attack recorded`,
    ]);
  } finally {
    log.restore();
    tmp.remove();
  }
});

it('on intervals that overlap a little, the attack recorded marks the intervals taken and neither neighbour', async () => {
  const tmp = makeTempDir('munnin-inject-overlap-');
  const log = captureLog();
  try {
    const run = join(tmp.dir, 'run');
    const ts = writeDriftingRun(run, 4.995);
    // Run start ts[0] − 5 = BASE − 0.005; the window 120-130 s is [BASE + 119.995, BASE + 129.995).
    // Slices end at BASE + 4.995 k. Middles: slice 24 (114.88, 119.88] at 117.38: out;
    // slice 25 (119.875, 124.875] at 122.375 and slice 26 (124.87, 129.87] at 127.37: in;
    // slice 27 (129.865, 134.865] at 132.365: out. Slice 25 starts 0.005 s before slice 24 ends
    // and slice 27 0.005 s before slice 26 ends: the attack is [end of 24, start of 27).
    const expected = { kind: 'exfiltration', start: ts[23]!, end: ts[26]! - 5, bytes: 2 * B, path: ['user-db', 'user', 'front-end', 'external'], method: 'synthetic', injected: true };
    const out = join(tmp.dir, 'out');
    const { summary } = await runReplay(run, { outDir: out, detectors, inject: [{ bytesPerInterval: B, at: [{ startSeconds: 120, endSeconds: 130 }] }] });
    assert.deepEqual(summary.attacks, [expected]);
    assert.equal(summary.attackIntervals, 2, 'slices 25 and 26 only');
    assert.equal(summary.graceIntervals, 1, 'slice 27');
    const written = readFileSync(join(out, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const classes = classifyIntervals(ts.map((t) => ({ t, dt: 5 })), written);
    assert.deepEqual(ts.filter((_, i) => classes[i]!.attack), [ts[24]!, ts[25]!]);
  } finally {
    log.restore();
    tmp.remove();
  }
});
