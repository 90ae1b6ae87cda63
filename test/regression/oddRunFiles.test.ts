import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, openSync, writeSync, closeSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDashboard } from '../../src/dashboard/index.ts';
import { UserError } from '../../src/errors.ts';
import { readEvents, readManifest, readSnapshots } from '../../src/store/index.ts';
import { readLines } from '../../src/store/readLines.ts';
import { captureLog, makeTempDir, readRunBack, writeRunFiles } from '../util.ts';
import { get } from '../dashboard/helpers.ts';

// Bugs: snapshots.ndjson or events.ndjson being a folder gave "(a bug…) EISDIR" (the dashboard
// answered 500); a line over 512 MiB threw `RangeError: Invalid string length`; a UTF-8 BOM
// dropped the first snapshot line and made a run.json fatal; one line with t = 1e308 made
// every later valid line "not increasing". Now each is reported, and what follows is kept.
const MANIFEST = { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['request_bytes'] };
const line = (t: number, bytes = 10) => `${JSON.stringify({ t, dt: 1, edges: [{ src: 'a', dst: 'b', request_bytes: bytes }] })}\n`;

it('snapshots.ndjson or events.ndjson that is a folder: one user error naming it, in replay and in the dashboard', async () => {
  const tmp = makeTempDir('munnin-odd-dir-');
  const log = captureLog();
  const dashboard = await startDashboard({ dataDir: tmp.dir, port: 0 });
  try {
    const a = writeRunFiles(join(tmp.dir, 'snapdir'), { manifest: MANIFEST });
    mkdirSync(join(a, 'snapshots.ndjson'));
    await assert.rejects(readRunBack(a), (e: unknown) => e instanceof UserError && e.message === `${join(a, 'snapshots.ndjson')}: not a regular file (a folder); a run's snapshots.ndjson must be a file`);
    const b = writeRunFiles(join(tmp.dir, 'eventdir'), { manifest: MANIFEST, snapshots: line(1) });
    mkdirSync(join(b, 'events.ndjson'));
    await assert.rejects(readEvents(b), (e: unknown) => e instanceof UserError && /events\.ndjson: not a regular file \(a folder\)/.test(e.message));
    const one = await get(`${dashboard.url}api/runs/snapdir`);
    assert.equal(one.status, 422);
    assert.equal(one.json.error, "snapdir/snapshots.ndjson: not a regular file (a folder); a run's snapshots.ndjson must be a file");
    const other = await get(`${dashboard.url}api/runs/eventdir`);
    assert.equal(other.status, 422);
    assert.equal(other.json.error, 'eventdir/events.ndjson: cannot be read: is a folder, not a file');
    // Listed as unreadable, with why: not as an interrupted run.
    const runs = await get(`${dashboard.url}api/runs`);
    assert.deepEqual(runs.json.runs.map((r: any) => [r.name, r.status]).sort(), [['eventdir', 'unreadable'], ['snapdir', 'unreadable']]);
  } finally {
    await dashboard.close();
    log.restore();
    tmp.remove();
  }
});

it('a line longer than a reader keeps is reported and skipped, the lines around it kept', async () => {
  const tmp = makeTempDir('munnin-odd-long-');
  try {
    const file = join(tmp.dir, 'long.ndjson');
    const fd = openSync(file, 'w');
    writeSync(fd, 'first\n');
    const block = Buffer.alloc(1 << 16, 0x61);
    for (let i = 0; i < 20; i++) writeSync(fd, block); // 1.25 MiB of one line
    writeSync(fd, '\nlast\n');
    closeSync(fd);
    const lines = [];
    for await (const l of readLines(file, { maxLineChars: 1 << 20, chunkBytes: 1 << 14 })) lines.push({ text: l.text, number: l.number, overlong: l.overlongChars });
    assert.deepEqual(lines, [
      { text: 'first', number: 1, overlong: undefined },
      { text: '', number: 2, overlong: 20 << 16 },
      { text: 'last', number: 3, overlong: undefined },
    ]);
  } finally {
    tmp.remove();
  }
});

it('a UTF-8 byte-order mark before run.json, snapshots.ndjson and events.ndjson is dropped', async () => {
  const tmp = makeTempDir('munnin-odd-bom-');
  const log = captureLog();
  try {
    const dir = writeRunFiles(join(tmp.dir, 'bom'), {
      manifestText: `\uFEFF${JSON.stringify(MANIFEST)}`,
      snapshots: `\uFEFF${line(1)}${line(2)}`,
      events: `\uFEFF${JSON.stringify({ kind: 'exfiltration', start: 1, end: 2, bytes: 5 })}\n`,
    });
    const { manifest, snapshots, events } = await readRunBack(dir);
    assert.equal(manifest.intervalSeconds, 1);
    assert.deepEqual(snapshots.map((s) => s.t), [1, 2]);
    assert.equal(events.length, 1);
    assert.equal(log.text('warn'), '');
    const dashboard = await startDashboard({ dataDir: tmp.dir, port: 0 });
    try {
      const s = await get(`${dashboard.url}api/runs/bom`);
      assert.equal(s.json.intervals, 2);
      assert.equal(s.json.invalidLines, 0);
    } finally {
      await dashboard.close();
    }
  } finally {
    log.restore();
    tmp.remove();
  }
});

it('a line with an implausible t is reported and skipped, and every later valid line kept', async () => {
  const tmp = makeTempDir('munnin-odd-t-');
  const log = captureLog();
  try {
    const base = 1_800_000_000;
    let text = '';
    for (let i = 1; i <= 3; i++) text += line(base + i);
    text += line(1e308);
    for (let i = 4; i <= 6; i++) text += line(base + i);
    text += line(base + 1e8); // far after both neighbours, yet a possible clock
    for (let i = 7; i <= 40; i++) text += line(base + i);
    const dir = writeRunFiles(join(tmp.dir, 'far'), { manifest: MANIFEST, snapshots: text });
    const ts: number[] = [];
    for await (const s of readSnapshots(dir, ['request_bytes'])) ts.push(s.t);
    assert.deepEqual(ts, Array.from({ length: 40 }, (_, i) => base + i + 1));
    const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    assert.deepEqual(warnings, [
      `${join(dir, 'snapshots.ndjson')}:4: t: 1e+308 is not a plausible time in Unix seconds (at most 100000000000, the year 5138); line skipped`,
      `${join(dir, 'snapshots.ndjson')}:8: t: ${base + 1e8} is far outside its neighbours (${base + 6} before it, ${base + 7} after); line skipped`,
    ]);
    // A real jump (the next line goes on from it) is kept.
    const jump = writeRunFiles(join(tmp.dir, 'jump'), { manifest: MANIFEST, snapshots: line(base + 1) + line(base + 1e8) + line(base + 1e8 + 1) });
    const kept: number[] = [];
    for await (const s of readSnapshots(jump, ['request_bytes'])) kept.push(s.t);
    assert.deepEqual(kept, [base + 1, base + 1e8, base + 1e8 + 1]);
    assert.ok(readdirSync(tmp.dir).length === 2);
    await readManifest(dir);
    // The dashboard counts and serves the run as replay reads it.
    const dashboard = await startDashboard({ dataDir: tmp.dir, port: 0 });
    try {
      const s = await get(`${dashboard.url}api/runs/far`);
      assert.equal(s.json.intervals, 40);
      assert.equal(s.json.invalidLines, 2);
      assert.equal(s.json.lastT, base + 40);
      const page = await get(`${dashboard.url}api/runs/far/snapshots?from=0&count=12`);
      assert.deepEqual(
        page.json.intervals.filter((l: any) => l.invalid !== undefined).map((l: any) => [l.i, l.invalid]),
        [
          [3, 't: 1e+308 is not a plausible time in Unix seconds (at most 100000000000, the year 5138)'],
          [7, `t: ${base + 1e8} is far outside its neighbours (${base + 6} before it, ${base + 7} after)`],
        ],
      );
    } finally {
      await dashboard.close();
    }
  } finally {
    log.restore();
    tmp.remove();
  }
});
