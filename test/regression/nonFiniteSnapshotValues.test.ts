import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportMain } from '../../src/cli/export.ts';
import { decodeIntervalLine } from '../../src/dashboard/decodeIntervalLine.ts';
import { parseLineJson, readSnapshots } from '../../src/store/index.ts';
import type { Snapshot } from '../../src/types.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug: a snapshot line holding NaN, Infinity or -Infinity (what Python's json.dumps writes by
// default) was refused whole as "not valid JSON" and the interval lost, though the run format
// (and README) keep a bad line "as a gap when its t and dt are readable"; the export's
// intervals.csv then had no row for it, and the -Infinity message ("No number after minus sign
// in JSON at position 235") named neither field nor value. Such words are now read as those
// numbers and refused by the decoder field by field: the interval is kept as a gap, with a
// warning naming file, line, field and value, in replay, export and the dashboard alike.
const BASE = 1_800_000_000;
const edge = (value: string) => `{"src":"a","dst":"b","request_bytes":${value}}`;
const LINES = [
  `{"t":${BASE + 1},"dt":1,"edges":[${edge('100')}]}`,
  `{"t":${BASE + 2},"dt":1,"edges":[${edge('NaN')}]}`,
  `{"t": ${BASE + 3}, "dt": 1, "edges": [${edge('100')}, {"src": "b", "dst": "c", "request_bytes": Infinity}]}`,
  `{"t":${BASE + 4},"dt":1,"edges":[${edge('-Infinity')}]}`,
  `{"t":NaN,"dt":1,"edges":[${edge('100')}]}`,
  `{"t":${BASE + 6},"dt":1,"note":NaN,"edges":[{"src":"NaN Infinity","dst":"b","request_bytes":100}]}`,
  `{"t":${BASE + 7},"dt":1,"edges":[${edge('Nan')}]}`,
  `{"t":${BASE + 8},"dt":1,"edges":[${edge('100')}]}`,
];

it('NaN, Infinity and -Infinity in a snapshot line keep the interval as a gap, named field and value', async () => {
  const tmp = makeTempDir('munnin-non-finite-');
  const log = captureLog();
  try {
    const dir = writeRunFiles(join(tmp.dir, 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['request_bytes'] }, snapshots: `${LINES.join('\n')}\n`, events: '' });
    const file = join(dir, 'snapshots.ndjson');
    const snapshots: Snapshot[] = [];
    for await (const s of readSnapshots(dir, ['request_bytes'])) snapshots.push(s);
    // t = BASE + 5 (t: NaN) has no readable t: skipped; every other line is an interval.
    assert.deepEqual(snapshots.map((s) => [s.t - BASE, s.gap]), [[1, false], [2, true], [3, true], [4, true], [6, false], [8, false]]);
    assert.deepEqual(snapshots[4]!.edges, [{ src: 'NaN Infinity', dst: 'b', values: { request_bytes: 100 } }], 'names holding the words are left alone');
    const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    assert.equal(warnings[0], `${file}:2: edges[0].request_bytes: expected a non-negative number (got NaN); interval kept as a gap`);
    assert.equal(warnings[1], `${file}:3: edges[1].request_bytes: expected a non-negative number (got Infinity); interval kept as a gap`);
    assert.equal(warnings[2], `${file}:4: edges[0].request_bytes: expected a non-negative number (got -Infinity); interval kept as a gap`);
    assert.match(warnings[3]!, new RegExp(`^${file}:5: t: .*\\(got NaN\\); line skipped$`));
    assert.equal(warnings[4], `${file}:6: NaN or Infinity, which JSON does not allow, in a field the reader ignores; line read`);
    assert.match(warnings[5]!, new RegExp(`^${file}:7: not valid JSON \\(.*\\); line skipped$`), 'a misspelt word is still not JSON');

    // The dashboard's interval reader, the same way.
    const gap = decodeIntervalLine(LINES[3]!, ['request_bytes'], 3);
    assert.equal(gap.snapshot?.gap, true);

    // The export: one intervals.csv row per interval, the gaps marked.
    await exportMain([dir, '--out', join(tmp.dir, 'export')], () => {});
    const rows = readFileSync(join(tmp.dir, 'export', 'intervals.csv'), 'utf8').trim().split('\n').slice(1).map((r) => r.split(','));
    assert.deepEqual(rows.map((r) => [Number(r[1]) - BASE, r[3]]), [[1, 'false'], [2, 'true'], [3, 'true'], [4, 'true'], [6, 'false'], [8, 'false']]);
  } finally {
    log.restore();
    tmp.remove();
  }
});

// Bug: the NaN rewrite looked marked strings up with `in`, which also finds Object.prototype's
// members: on a line holding a bare NaN, a node named `constructor` became a function, and the
// valid interval a gap ("expected a node name (got function Object() …)"). And a name written
// as the JSON escape of the private-use marker, "\uE000NaN\uE000", passed for a marked NaN.
it('names like constructor or toString stay names on a line holding NaN', () => {
  const line = `{"t":${BASE + 1},"dt":1,"edges":[{"src":"constructor","dst":"toString","request_bytes":1}],"note":NaN}`;
  const { value, nonFinite } = parseLineJson(line);
  assert.equal(nonFinite, true);
  assert.deepEqual(value, { t: BASE + 1, dt: 1, edges: [{ src: 'constructor', dst: 'toString', request_bytes: 1 }], note: Number.NaN });
});

it('a name written as the escaped marker is not read as NaN: the line is refused as not JSON', () => {
  for (const escape of ['\\uE000', '\\ue000']) {
    const line = `{"t":${BASE + 1},"dt":1,"edges":[{"src":"${escape}NaN${escape}","dst":"b","request_bytes":1}],"note":NaN}`;
    assert.throws(() => parseLineJson(line), SyntaxError, escape);
  }
});
