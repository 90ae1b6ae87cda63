import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { readEvents } from '../../src/store/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug: a misspelt attack kind in a run's own events.ndjson ("exfiltraton") silently dropped
// the attack: replay said "0 attacks" and scored the exfiltration as benign traffic, while the
// same file given with --events was warned about with its line and "did you mean". The run's
// own file now gets the same warnings (one shared check, eventKindWarnings), except that an
// empty file is a run without attacks, not a mistake.
const BASE = 1_800_000_000;
const ndjson = (...lines: object[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join('');

function writeRun(dir: string, events: string): string {
  let snapshots = '';
  for (let i = 1; i <= 20; i++) snapshots += `${JSON.stringify({ t: BASE + i, dt: 1, edges: [{ src: 'a', dst: 'b', request_bytes: 100 + (i % 3) }] })}\n`;
  return writeRunFiles(dir, { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['request_bytes'] }, snapshots, events });
}

it('a run\'s own events.ndjson: a misspelt attack kind is warned about with its line and the kind meant', async () => {
  const tmp = makeTempDir('munnin-own-event-kinds-');
  const log = captureLog();
  try {
    const dir = writeRun(join(tmp.dir, 'typo'), ndjson({ kind: 'note', start: BASE, end: BASE }, { kind: 'exfiltraton', start: BASE + 12, end: BASE + 13, bytes: 400_000 }));
    const file = join(dir, 'events.ndjson');
    const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 5 } }).detectors;
    const { summary } = await runReplay(dir, { outDir: join(tmp.dir, 'out'), detectors });
    assert.equal(summary.attacks.length, 0, 'the kind is still read as informational, as the run format says');
    // The events file's warnings (the 20-s run is also too short for ewma's limit to calibrate, said separately).
    assert.deepEqual(log.messages.filter((m) => m.level === 'warn' && m.message.startsWith(file)).map((m) => m.message), [
      `${file}:2: kind "exfiltraton" is not an attack kind (exfiltration, scan, lateral): read as informational, it marks no attack interval; did you mean "exfiltration"?`,
      `${file}: no attack in it (no event of kind exfiltration, scan, lateral): every interval is scored as benign`,
    ]);
  } finally {
    log.restore();
    tmp.remove();
  }
});

it('a run\'s own events.ndjson: empty, or of known kinds only, gives no warning', async () => {
  const tmp = makeTempDir('munnin-own-event-kinds-ok-');
  const log = captureLog();
  try {
    await readEvents(writeRun(join(tmp.dir, 'benign'), ''));
    await readEvents(writeRun(join(tmp.dir, 'null'), ndjson({ kind: 'null-exfiltration', start: BASE + 2, end: BASE + 3 })));
    await readEvents(writeRun(join(tmp.dir, 'attack'), ndjson({ kind: 'exfiltration', start: BASE + 12, end: BASE + 13 }, { kind: 'load-change', start: BASE, end: BASE })));
    assert.deepEqual(log.messages.filter((m) => m.level === 'warn'), []);
  } finally {
    log.restore();
    tmp.remove();
  }
});
