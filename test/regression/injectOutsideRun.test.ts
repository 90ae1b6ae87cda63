import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { classifyIntervals } from '../../src/evaluation/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug: --inject windows past the end of the run (or over gaps) were recorded as attacks of the
// bytes asked, never injected: on a 150-s run `--inject 50000@120-180,240-260` counted a
// 1,500,000-byte attack of which 750 kB was injected and a 500 kB attack that injected nothing,
// silently (header "4 attacks", detectors 3/3); a window inside the training stretch was not
// mentioned either. Now each injected attack says what was injected (its end and bytes from
// the intervals really injected), a window that injected nothing is no attack, and each such
// window, and one in the training stretch, is warned about.
const BASE = 1_800_000_000;

/** The --inject warnings but those of a window in the calibrating stretch (every window here is: injectWhileCalibrating.test.ts). */
function injectWarnings(log: ReturnType<typeof captureLog>): string[] {
  return log.messages.filter((m) => m.level === 'warn' && /^--inject/.test(m.message) && !/may still be calibrating/.test(m.message)).map((m) => m.message);
}

/** An injected attack as the replay records it: `bytes` over [BASE + start, BASE + end), along db → app. */
const attack = (start: number, end: number, bytes: number) => ({ kind: 'exfiltration', start: BASE + start, end: BASE + end, bytes, path: ['db', 'app'], method: 'synthetic', injected: true });

/** Replay `dir` with ewma (5 s of training) and 10 bytes per 1-s interval (10 B/s) injected along db → app in each window [start, end) (seconds). */
function replayInjected(dir: string, outDir: string, windows: readonly (readonly [number, number])[]) {
  const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 5 } }).detectors;
  return runReplay(dir, { outDir, detectors, injectPath: ['db', 'app'], inject: [{ bytesPerInterval: 10, at: windows.map(([startSeconds, endSeconds]) => ({ startSeconds, endSeconds })) }] });
}

/** 20 intervals of 1 s, (BASE, BASE + 20]: app → db 1000-1002 bytes each, interval i a gap where `gap(i)`. */
function writeOneSecondRun(dir: string, gap: (i: number) => boolean): string {
  let snapshots = '';
  for (let i = 1; i <= 20; i++) {
    snapshots += `${JSON.stringify(gap(i) ? { t: BASE + i, dt: 1, gap: true, edges: [] } : { t: BASE + i, dt: 1, edges: [{ src: 'app', dst: 'db', response_bytes: 1000 + (i % 3) }] })}\n`;
  }
  return writeRunFiles(dir, { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['response_bytes'] }, snapshots, events: '' });
}

it('--inject windows past the run, over gaps or in training: recorded as injected, and warned about', async () => {
  const tmp = makeTempDir('munnin-inject-outside-');
  const log = captureLog();
  try {
    // 20 intervals of 1 s: the run covers (BASE, BASE + 20]; interval (9, 10] is a gap.
    const dir = writeOneSecondRun(join(tmp.dir, 'run'), (i) => i === 10);
    const out = join(tmp.dir, 'out');
    const { summary, scored } = await replayInjected(dir, out, [[2, 4], [8, 13], [17, 25], [30, 40]]);

    const expected = [
      attack(2, 4, 20), // whole, in training
      attack(8, 13, 40), // 5 s less the 1-s gap
      attack(17, 20, 30), // cut at the run's end, 3 s
      // 30-40: after the run, nothing injected: no attack
    ];
    assert.deepEqual(summary.attacks, expected);
    assert.deepEqual(readFileSync(join(out, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)), expected);
    // Per detector, only attacks with scored intervals count: 8-13 and 17-20 (2-4 is training).
    assert.equal(summary.detectors['ewma']!.events.total, 2);
    // Each scored attack interval carries the bytes of its attack as injected: 9, 11, 12, 13 → 40; 18, 19, 20 → 30.
    assert.deepEqual([...scored.get('ewma')!.attackBytes].filter((b) => b > 0), [40, 40, 40, 40, 30, 30, 30]);

    assert.deepEqual(injectWarnings(log), [
      '--inject 10@2-4: lies inside the training stretch (the first 5 s): the detectors train on that traffic and its intervals are not scored',
      '--inject 10@8-13: gap intervals in it took none: injected 8-13 s, 40 bytes of the 50 asked; the attack is recorded as injected',
      '--inject 10@17-25: the run ends at 20 s: injected 17-20 s, 30 bytes of the 80 asked; the attack is recorded as injected',
      '--inject 10@30-40: the window starts after the run ends (20 s): nothing injected, no attack recorded',
    ]);
  } finally {
    log.restore();
    tmp.remove();
  }
});

// Bug: a window ending in gap intervals inside the run was recorded with its end cut back to
// the last interval that received bytes, though the replay had scored it with the end asked:
// on 20 × 1 s with gaps at (9, 12], `--inject 10@7-12` was scored with (12, 13] as its grace
// interval but written to events.ndjson ending at 9 s, so the report, export and dashboard,
// re-classifying from that file, took the gap (9, 10] as the grace interval and (12, 13] as
// benign; a window all in gaps (10.2-11.5) was dropped. Now the end is cut only at the run's
// end, gap seconds count as missed bytes, and a window all in gaps stays with 0 bytes.
it('--inject windows ending in gaps inside the run: recorded with the end they were scored against', async () => {
  const tmp = makeTempDir('munnin-inject-trailing-gaps-');
  const log = captureLog();
  try {
    // 20 intervals of 1 s; (9, 10], (10, 11] and (11, 12] are gaps.
    const dir = writeOneSecondRun(join(tmp.dir, 'run'), (i) => i >= 10 && i <= 12);
    const out = join(tmp.dir, 'out');
    const { summary, scored } = await replayInjected(dir, out, [[7, 12], [10.2, 11.5]]);

    const expected = [
      attack(7, 12, 20), // 5 s asked, 3 of them gaps: 2 s of 10 B/s; the end stays 12 s
      attack(10, 11, 0), // takes (10, 11] (its middle 10.5 is in the window), a gap: kept, nothing injected
    ];
    assert.deepEqual(summary.attacks, expected);
    const written = readFileSync(join(out, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(written, expected);
    // Scored: (5, 20] less the 3 gaps = 12; attack intervals (7, 8], (8, 9]; grace (12, 13]
    // (right after the gap (11, 12], the window's last interval); benign the other 9.
    assert.equal(summary.graceIntervals, 1);
    assert.equal(summary.attackIntervals, 2);
    const ewma = summary.detectors['ewma']!;
    assert.equal(ewma.tn + ewma.fp, 9);
    // What the report, export and dashboard do: classify the run's intervals from the file written.
    const intervals = Array.from({ length: 20 }, (_, i) => ({ t: BASE + i + 1, dt: 1 }));
    const classes = classifyIntervals(intervals, written);
    assert.deepEqual(intervals.filter((_, i) => classes[i]!.grace).map((s) => s.t - BASE), [13]);
    assert.deepEqual(intervals.filter((_, i) => classes[i]!.attack).map((s) => s.t - BASE), [8, 9, 10, 11, 12]);
    assert.deepEqual([...scored.get('ewma')!.attackBytes].filter((b) => b > 0), [20, 20]);

    assert.deepEqual(injectWarnings(log), [
      '--inject 10@7-12: gap intervals in it took none: injected 7-12 s, 20 bytes of the 50 asked; the attack is recorded as injected',
      '--inject 10@10.2-11.5: every interval of the run in it is a gap: nothing injected (0 bytes of the 13 asked); the attack is recorded with 0 bytes over 10-11 s',
    ]);
  } finally {
    log.restore();
    tmp.remove();
  }
});
