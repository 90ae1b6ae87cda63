import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug: events outside the run (times in milliseconds, or in 1970) were ignored silently:
// "0 attack intervals, 2 attacks" and every detector 0/0, without a warning. Now the replay
// warns, naming the events and the likely cause.
const BASE = 1_800_000_000;

function run(dir: string, events: object[]): string {
  let snapshots = '';
  for (let i = 1; i <= 20; i++) snapshots += `${JSON.stringify({ t: BASE + i, dt: 1, edges: [{ src: 'a', dst: 'b', request_bytes: 100 }] })}\n`;
  return writeRunFiles(dir, { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['request_bytes'] }, snapshots, events: events.map((e) => `${JSON.stringify(e)}\n`).join('') });
}

it('attacks that fall outside the run are warned about, with the likely unit mistake', async () => {
  const tmp = makeTempDir('munnin-outside-');
  const log = captureLog();
  try {
    const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 5 } }).detectors;
    const ms = run(join(tmp.dir, 'ms'), [
      { kind: 'exfiltration', start: (BASE + 10) * 1000, end: (BASE + 11) * 1000, bytes: 5 },
      { kind: 'exfiltration', start: (BASE + 15) * 1000, end: (BASE + 16) * 1000, bytes: 5 },
      { kind: 'load-change', start: 5, end: 5 },
    ]);
    const { summary } = await runReplay(ms, { outDir: join(tmp.dir, 'out-ms'), detectors });
    assert.equal(summary.attackIntervals, 0, "what the warning is about: attacks that mark no interval");
    assert.equal(summary.attacks.length, 2);
    const warned = log.messages.filter((m) => m.level === 'warn' && /outside the run/.test(m.message)).map((m) => m.message);
    assert.deepEqual(warned, [
      `${ms}/events.ndjson: 2 of 2 attack(s) fall outside the run (${BASE}–${BASE + 20}, Unix seconds), so no interval counts them: exfiltration ${(BASE + 10) * 1000}–${(BASE + 11) * 1000}, exfiltration ${(BASE + 15) * 1000}–${(BASE + 16) * 1000} (these look like milliseconds: run-format times are Unix seconds)`,
    ]);

    const relative = run(join(tmp.dir, 'rel'), [{ kind: 'exfiltration', start: 10, end: 11 }, { kind: 'exfiltration', start: BASE + 12, end: BASE + 13 }]);
    await runReplay(relative, { outDir: join(tmp.dir, 'out-rel'), detectors });
    assert.match(log.text('warn'), new RegExp(`rel/events\\.ndjson: 1 of 2 attack\\(s\\) fall outside the run .*: exfiltration 10–11 \\(these look like seconds since the run began, i\\.e\\. in 1970`));

    // Inside the run, an instant at its last t included (it belongs to the last interval): no warning.
    const before = log.messages.length;
    const inside = run(join(tmp.dir, 'inside'), [{ kind: 'exfiltration', start: BASE + 20, end: BASE + 20 }, { kind: 'exfiltration', start: BASE, end: BASE + 0.5 }]);
    await runReplay(inside, { outDir: join(tmp.dir, 'out-inside'), detectors });
    assert.equal(log.messages.slice(before).filter((m) => /outside the run/.test(m.message)).length, 0);
  } finally {
    log.restore();
    tmp.remove();
  }
});

// Bug: attacks on the run's very edges (one ending exactly when the run starts, one starting at
// its last t, an instant at its start) mark no interval by the attack-interval rule, yet were
// not warned about, while one far outside was: "2 attack intervals, 5 attacks" without a word.
// Now every attack that marks no interval of the run is in the warning, the edge ones said so.
it('attacks that only touch the run edges mark no interval and are warned about too', async () => {
  const tmp = makeTempDir('munnin-edges-');
  const log = captureLog();
  try {
    const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 5 } }).detectors;
    // The run covers (BASE, BASE + 20] in 1-s intervals.
    const dir = run(join(tmp.dir, 'edges'), [
      { kind: 'exfiltration', start: BASE - 10, end: BASE },
      { kind: 'exfiltration', start: BASE + 20, end: BASE + 30 },
      { kind: 'exfiltration', start: BASE, end: BASE },
      { kind: 'exfiltration', start: BASE + 20, end: BASE + 20 },
      { kind: 'scan', start: BASE + 9, end: BASE + 10 },
    ]);
    const { summary } = await runReplay(dir, { outDir: join(tmp.dir, 'out'), detectors });
    // Two attack intervals: (BASE + 19, BASE + 20] for the instant at the last t, (BASE + 9, BASE + 10] for the scan.
    assert.equal(summary.attackIntervals, 2);
    const warned = log.messages.filter((m) => m.level === 'warn' && /outside the run/.test(m.message)).map((m) => m.message);
    assert.deepEqual(warned, [
      `${dir}/events.ndjson: 3 of 5 attack(s) fall outside the run (${BASE}–${BASE + 20}, Unix seconds), so no interval counts them: ` +
        `exfiltration ${BASE - 10}–${BASE} (ends as the run starts), exfiltration ${BASE + 20}–${BASE + 30} (starts as the run ends), ` +
        `exfiltration ${BASE}–${BASE} (an instant at the run's start, which belongs to the interval before it)`,
    ]);
  } finally {
    log.restore();
    tmp.remove();
  }
});
