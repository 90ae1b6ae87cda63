import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { readEventsFile } from '../../src/store/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bugs: (1) an --events file whose attack kind was misspelt ("exfiltraton", "Exfiltration")
// was read as informational without a word: "0 attacks", and every alarm on the real attack
// counted false. Now each unknown kind is warned about with its file and line(s) (and the
// attack kind it resembles), and a file holding no attack at all is said to. (2) With times in
// milliseconds in the --events file, the "look like milliseconds" warning named the run's own
// events.ndjson; it now names the --events file.
const BASE = 1_800_000_000;

const ndjson = (...lines: object[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join('');

it('--events: unknown kinds are named with file and lines, and a file without attacks is said to hold none', async () => {
  const tmp = makeTempDir('munnin-event-kinds-');
  const log = captureLog();
  try {
    const file = join(tmp.dir, 'incidents.ndjson');
    writeFileSync(
      file,
      ndjson(
        { kind: 'exfiltraton', start: BASE + 10, end: BASE + 12 },
        { kind: 'note', start: BASE, end: BASE },
        { kind: 'Exfiltration', start: BASE + 14, end: BASE + 15 },
        { kind: 'exfiltraton', start: BASE + 16, end: BASE + 17 },
        { kind: 'deploy', start: BASE + 1, end: BASE + 1 },
      ),
    );
    const events = await readEventsFile(file);
    assert.equal(events.length, 5, 'unknown kinds are kept, as the run format says (informational)');
    assert.deepEqual(log.messages.filter((m) => m.level === 'warn').map((m) => m.message), [
      `${file}:1: kind "exfiltraton" (lines 1, 4) is not an attack kind (exfiltration, scan, lateral): read as informational, it marks no attack interval; did you mean "exfiltration"?`,
      `${file}:3: kind "Exfiltration" is not an attack kind (exfiltration, scan, lateral): read as informational, it marks no attack interval; did you mean "exfiltration"?`,
      `${file}:5: kind "deploy" is not an attack kind (exfiltration, scan, lateral): read as informational, it marks no attack interval`,
      `${file}: no attack in it (no event of kind exfiltration, scan, lateral): every interval is scored as benign`,
    ]);

    // A correct file: attacks and known informational kinds, no warning.
    const good = join(tmp.dir, 'good.ndjson');
    writeFileSync(good, ndjson({ kind: 'scan', start: BASE + 1, end: BASE + 2 }, { kind: 'load-change', start: BASE, end: BASE }));
    const before = log.messages.length;
    await readEventsFile(good);
    assert.deepEqual(log.messages.slice(before), []);
  } finally {
    log.restore();
    tmp.remove();
  }
});

// Bug: munnin's own informational kinds were warned about: Munnin's benign 2018 run
// (test/fixtures/munnin-cybermonday-0k) marks its five exfiltration slots that moved no data
// `null-exfiltration`, and its events.ndjson given to --events got "is not an attack kind" for
// lines 1-5 (the list of known kinds lacked it, and scan-failed / lateral-failed), and "no
// attack in it", though the file says so itself. Now the kinds munnin writes are one list
// (INFORMATIONAL_KINDS, src/types.ts), and a file of known informational kinds only is quiet.
it('--events: the benign fixture\'s own events, and every kind munnin writes, give no warning', async () => {
  const log = captureLog();
  const tmp = makeTempDir('munnin-event-kinds-known-');
  try {
    const fixture = join(import.meta.dirname, '..', 'fixtures', 'munnin-cybermonday-0k', 'events.ndjson');
    const events = await readEventsFile(fixture);
    assert.deepEqual(events.map((e) => e.kind), ['null-exfiltration', 'null-exfiltration', 'null-exfiltration', 'null-exfiltration', 'null-exfiltration']);
    const known = join(tmp.dir, 'known.ndjson');
    writeFileSync(
      known,
      ndjson(
        { kind: 'exfiltration', start: BASE + 1, end: BASE + 2 },
        ...['load-change', 'note', 'exfiltration-failed', 'scan-failed', 'lateral-failed', 'null-exfiltration'].map((kind) => ({ kind, start: BASE, end: BASE })),
      ),
    );
    await readEventsFile(known);
    assert.deepEqual(log.messages.filter((m) => m.level === 'warn'), []);
  } finally {
    log.restore();
    tmp.remove();
  }
});

it('--events in milliseconds: the warning names the --events file, not the run\'s events.ndjson', async () => {
  const tmp = makeTempDir('munnin-event-ms-');
  const log = captureLog();
  try {
    let snapshots = '';
    for (let i = 1; i <= 20; i++) snapshots += `${JSON.stringify({ t: BASE + i, dt: 1, edges: [{ src: 'a', dst: 'b', request_bytes: 100 }] })}\n`;
    const dir = writeRunFiles(join(tmp.dir, 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['request_bytes'] }, snapshots, events: ndjson({ kind: 'exfiltration', start: BASE + 12, end: BASE + 13 }) });
    const file = join(tmp.dir, 'incidents.ndjson');
    writeFileSync(file, ndjson({ kind: 'exfiltration', start: (BASE + 10) * 1000, end: (BASE + 11) * 1000 }));
    const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 5 } }).detectors;
    await runReplay(dir, { outDir: join(tmp.dir, 'out'), detectors, events: await readEventsFile(file), eventsFile: file });
    const warned = log.messages.filter((m) => m.level === 'warn' && /outside the run/.test(m.message)).map((m) => m.message);
    assert.equal(warned.length, 1);
    assert.ok(warned[0]!.startsWith(`${file}: 1 of 1 attack(s) fall outside the run`), warned[0]);
    assert.match(warned[0]!, /look like milliseconds/);
  } finally {
    log.restore();
    tmp.remove();
  }
});
