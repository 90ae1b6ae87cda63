import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug: an attack inside the run that falls in time no interval covers (between one interval's
// end t and the next one's start t' − dt': Munnin's runs have dt 5 but ends ≈ 5.0045 s apart)
// marked no interval and was scored nowhere, without a warning: only "1 attacks (0 with a
// scored interval)", as for attacks lost to training. Attacks outside the run were warned
// about; these now are too, each named with the intervals around it.
const BASE = 1_800_000_000;

it('warns about attacks that fall between two intervals of the run, naming the intervals around them', async () => {
  const tmp = makeTempDir('munnin-between-');
  const log = captureLog();
  try {
    // dt 1, one interval every 2 s: (BASE+1, BASE+2], (BASE+3, BASE+4], …, (BASE+39, BASE+40]; the odd seconds' other halves are holes.
    let snapshots = '';
    for (let i = 1; i <= 20; i++) snapshots += `${JSON.stringify({ t: BASE + 2 * i, dt: 1, edges: [{ src: 'a', dst: 'b', request_bytes: 100 }] })}\n`;
    const events = [
      { kind: 'exfiltration', start: BASE + 20.25, end: BASE + 20.75, bytes: 5 }, // in the hole (BASE+20, BASE+21]
      { kind: 'scan', start: BASE + 23, end: BASE + 23 }, // an instant at an interval's start: the hole before it holds it
      { kind: 'exfiltration', start: BASE + 26, end: BASE + 26, bytes: 5 }, // an instant at an interval's end: that interval holds it
      { kind: 'exfiltration', start: BASE + 30.5, end: BASE + 31.5, bytes: 5 }, // half in a hole, half in (BASE+31, BASE+32]
      { kind: 'exfiltration', start: BASE + 100, end: BASE + 101, bytes: 5 }, // after the run: the outside warning's
    ];
    const dir = writeRunFiles(join(tmp.dir, 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['request_bytes'] }, snapshots, events: events.map((e) => `${JSON.stringify(e)}\n`).join('') });
    const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 4 } }).detectors;
    const { summary } = await runReplay(dir, { outDir: join(tmp.dir, 'out'), detectors });
    // What the warning is about: the first two attacks mark no interval (attacks sorted by start, the last outside).
    assert.deepEqual(summary.detectors['ewma']!.events.outcomes.map((o) => o.scored), [false, false, true, true, false]);
    const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    assert.deepEqual(warnings.filter((m) => /between two of its intervals/.test(m)), [
      `${dir}/events.ndjson: 2 of 5 attack(s) inside the run fall between two of its intervals (time no interval (t − dt, t] covers), so no interval counts them: ` +
        `exfiltration ${BASE + 20.25}–${BASE + 20.75} (after the interval ending at ${BASE + 20}, before the next, starting at ${BASE + 21}), ` +
        `scan ${BASE + 23}–${BASE + 23} (after the interval ending at ${BASE + 22}, before the next, starting at ${BASE + 23})`,
    ]);
    assert.equal(warnings.filter((m) => /outside the run/.test(m)).length, 1, 'the one after the run is said as before');
  } finally {
    log.restore();
    tmp.remove();
  }
});
