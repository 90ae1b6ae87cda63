import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.ts';
import { readEvents, readLines, readManifest, readSnapshots } from '../../src/store/index.ts';
import type { Snapshot } from '../../src/types.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

const tmp = makeTempDir('munnin-store-');
after(() => tmp.remove());
let n = 0;
const runDir = () => join(tmp.dir, `run${++n}`);
const manifest = { format: 'munnin-run/1', intervalSeconds: 5, metrics: ['requests', 'response_bytes'] };

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readLines', () => {
  it('splits across chunk boundaries, keeps multi-byte characters whole and says which line lacked its newline', async () => {
    const file = join(tmp.dir, 'lines.txt');
    writeFileSync(file, 'première ligne\r\nsecond\n\nlast without newline ünïcødé');
    const lines = await collect(readLines(file, { chunkBytes: 3 }));
    assert.deepEqual(
      lines.map((l) => [l.number, l.text, l.terminated]),
      [
        [1, 'première ligne', true],
        [2, 'second', true],
        [3, '', true],
        [4, 'last without newline ünïcødé', false],
      ],
    );
    assert.equal(lines.at(-1)!.bytesRead, Buffer.byteLength('première ligne\r\nsecond\n\nlast without newline ünïcødé'));
  });
});

describe('readManifest', () => {
  const bad = async (text: string, expected: RegExp) => {
    const dir = writeRunFiles(runDir(), { manifestText: text });
    await assert.rejects(readManifest(dir), (e: unknown) => e instanceof UserError && expected.test(e.message));
  };

  it('reads the required fields and keeps the rest', async () => {
    const dir = writeRunFiles(runDir(), { manifest: { ...manifest, name: 'r', colour: 'blue' } });
    const m = await readManifest(dir);
    assert.equal(m.intervalSeconds, 5);
    assert.deepEqual(m.metrics, ['requests', 'response_bytes']);
    assert.equal(m['colour'], 'blue');
  });

  it('names run.json and the field of every problem', async () => {
    await bad(JSON.stringify({ intervalSeconds: 5, metrics: ['requests'] }), /run\.json: format: missing \(expected "munnin-run\/1"\)$/);
    await bad(JSON.stringify({ ...manifest, format: 'munnin-run/2' }), /run\.json: format: expected "munnin-run\/1" \(got "munnin-run\/2"\)$/);
    await bad(JSON.stringify({ format: 'munnin-run/1', metrics: ['requests'] }), /run\.json: intervalSeconds: missing/);
    await bad(JSON.stringify({ ...manifest, intervalSeconds: -2 }), /run\.json: intervalSeconds: expected a positive number of seconds \(got -2\)$/);
    await bad(JSON.stringify({ format: 'munnin-run/1', intervalSeconds: 5 }), /run\.json: metrics: missing/);
    await bad(JSON.stringify({ ...manifest, metrics: [] }), /run\.json: metrics: expected a non-empty list/);
    await bad(JSON.stringify({ ...manifest, metrics: ['requests', 3] }), /run\.json: metrics\[1\]: expected a metric key \(got 3\)$/);
    // Cut off after 26 characters: the mistake is at the end of line 1, column 27.
    await bad('{"format": "munnin-run/1",', /run\.json:1:27: not valid JSON/);
  });

  it('lists every problem of run.json at once', async () => {
    await bad(
      JSON.stringify({ format: 'munnin-run/2', intervalSeconds: -5, metrics: ['requests', 3, 'src'], services: 7 }),
      /run\.json: 5 problems:\n {2}format: expected "munnin-run\/1" \(got "munnin-run\/2"\)\n {2}intervalSeconds: expected a positive number of seconds \(got -5\)\n {2}metrics\[1\]: expected a metric key \(got 3\)\n {2}metrics\[2\]: expected a metric key \(got "src"\)\n {2}services: expected a list of node names \(got 7\)$/,
    );
  });

  it('says when the directory or run.json is missing', async () => {
    await assert.rejects(readManifest(join(tmp.dir, 'nowhere')), (e: unknown) => e instanceof UserError && /nowhere: no such run directory$/.test(e.message));
    const dir = writeRunFiles(runDir(), {});
    await assert.rejects(readManifest(dir), (e: unknown) => e instanceof UserError && /run\.json: not found \(is .* a run directory\?\)$/.test(e.message));
  });
});

describe('readSnapshots', () => {
  const line = (o: unknown) => `${JSON.stringify(o)}\n`;

  it('passes gaps on, ignores unknown fields and metrics the manifest does not list (the latter said once)', async () => {
    const dir = writeRunFiles(runDir(), {
      manifest,
      snapshots:
        line({ t: 105, dt: 5, comment: 'hi', edges: [{ src: 'a', dst: 'b', requests: 2, weird: 'x', tcp_sent_bytes: 99 }] }) +
        line({ t: 110, dt: 5, gap: true, edges: [] }) +
        line({ t: 115, dt: 5, edges: [] }),
    });
    const log = captureLog();
    const got = await collect(readSnapshots(dir, manifest.metrics));
    log.restore();
    assert.deepEqual(got, [
      { t: 105, dt: 5, gap: false, edges: [{ src: 'a', dst: 'b', values: { requests: 2 } }] },
      { t: 110, dt: 5, gap: true, edges: [] },
      { t: 115, dt: 5, gap: false, edges: [] },
    ] satisfies Snapshot[]);
    // A number under a key the manifest does not list is a metric its writer did not list.
    assert.deepEqual(log.messages.map((m) => m.level), ['warn']);
    assert.match(log.text(), /snapshots\.ndjson:1: edges: tcp_sent_bytes \(99\) is not among run\.json's metrics/);
  });

  // It was once an unprefixed note (info), unlike every other warning about a run's lines.
  it('tolerates a truncated last line with one warning, not counted as a bad line (a run killed mid-write)', async () => {
    const dir = writeRunFiles(runDir(), { manifest, snapshots: line({ t: 105, dt: 5, edges: [] }) + '{"t": 110, "dt": 5, "edges": [{"src": "a", "ds' });
    const log = captureLog();
    let badLines: number | undefined;
    const got = await collect(readSnapshots(dir, manifest.metrics, { onBadLines: (count) => (badLines = count) }));
    log.restore();
    assert.deepEqual(got.map((s) => s.t), [105]);
    assert.equal(log.text('warn'), `${join(dir, 'snapshots.ndjson')}:2: last line is incomplete (run interrupted while writing it); ignored`);
    assert.equal(log.text('info'), '');
    assert.ok(badLines === undefined || badLines === 0, `not a bad line (got ${badLines})`);
  });

  it('reports a bad middle line with file:line and goes on; keeps a readable interval as a gap', async () => {
    const dir = writeRunFiles(runDir(), {
      manifest,
      snapshots:
        line({ t: 105, dt: 5, edges: [] }) +
        '{"t": 110, "dt": 5, "edges": [}\n' +
        line({ t: 115, dt: 5, edges: [{ src: 'a', dst: 'b', requests: 'many' }] }) +
        line({ t: 112, dt: 5, edges: [] }) +
        line({ t: 120, dt: 5, edges: [{ src: 'a', dst: 'b', requests: 1 }] }),
    });
    const log = captureLog();
    const got = await collect(readSnapshots(dir, manifest.metrics));
    log.restore();
    assert.deepEqual(
      got.map((s) => [s.t, s.gap]),
      [
        [105, false],
        [115, true],
        [120, false],
      ],
    );
    const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    assert.equal(warnings.length, 3);
    assert.match(warnings[0]!, /snapshots\.ndjson:2: not valid JSON .*; line skipped$/);
    assert.match(warnings[1]!, /snapshots\.ndjson:3: edges\[0\]\.requests: expected a non-negative number \(got "many"\); interval kept as a gap$/);
    assert.match(warnings[2]!, /snapshots\.ndjson:4: t: 112 does not come after the previous interval's t \(115\); line skipped$/);
  });

  it('is a user error when snapshots.ndjson is missing', async () => {
    const dir = writeRunFiles(runDir(), { manifest });
    await assert.rejects(collect(readSnapshots(dir, manifest.metrics)), (e: unknown) => e instanceof UserError && /snapshots\.ndjson: not found/.test(e.message));
  });
});

describe('readEvents', () => {
  it('reads events, keeps unknown fields, reports bad lines by number and skips them', async () => {
    const dir = writeRunFiles(runDir(), {
      manifest,
      events:
        '{"kind": "exfiltration", "start": 10, "end": 15, "bytes": 100, "path": ["a", "b"], "method": "api", "ticket": 7}\n' +
        '{"kind": "note", "start": 11, "end": 11}\n' +
        '{"kind": "scan", "start": 20, "end": 19}\n' +
        'nonsense\n' +
        '{"kind": "lateral", "start": 30, "end": 3',
    });
    const log = captureLog();
    const events = await readEvents(dir);
    log.restore();
    assert.deepEqual(events, [
      { kind: 'exfiltration', start: 10, end: 15, bytes: 100, path: ['a', 'b'], method: 'api', ticket: 7 },
      { kind: 'note', start: 11, end: 11 },
    ]);
    const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /events\.ndjson:3: end: must not come before start \(20\) \(got 19\); line skipped$/);
    assert.match(warnings[1]!, /events\.ndjson:4: not valid JSON/);
  });

  it('treats a missing events.ndjson as no ground truth, with a warning', async () => {
    const dir = writeRunFiles(runDir(), { manifest });
    const log = captureLog();
    assert.deepEqual(await readEvents(dir), []);
    log.restore();
    assert.match(log.text('warn'), /events\.ndjson: not found/);
  });
});
