import { after, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSnapshots } from '../../src/store/index.ts';
import { decodeSnapshot, decodeSnapshotOrGap } from '../../src/store/snapshotCodec.ts';
import { mulberry32 } from '../../src/mulberry32.ts';
import { SnapshotLineParser } from '../../src/store/snapshotLineParser.ts';
import type { MetricKey, Snapshot } from '../../src/types.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

const metrics: MetricKey[] = ['requests', 'request_bytes', 'response_bytes'];
const parse = (line: string, parser = new SnapshotLineParser(metrics)) => parser.parse(Buffer.from(line, 'utf8'), 0, Buffer.byteLength(line));
/** What the general path makes of a valid line. */
const general = (line: string) => {
  const d = decodeSnapshot(JSON.parse(line), metrics);
  assert.ok(d.ok, `the general path refuses ${line}`);
  return d.snapshot;
};

describe('SnapshotLineParser', () => {
  it('reads the common line shape into the snapshot the run format defines, metrics in the manifest order', () => {
    const s = parse('{"t":1700000005,"dt":5,"edges":[{"src":"front-end","dst":"user","response_bytes":300,"requests":2},{"src":"user","dst":"user-db","requests":0}]}');
    // By hand: the zero-only edge is left out (a missing metric or pair means 0); values keep the manifest's order.
    assert.deepEqual(s, { t: 1700000005, dt: 5, gap: false, edges: [{ src: 'front-end', dst: 'user', values: { requests: 2, response_bytes: 300 } }] });
    assert.deepEqual(Object.keys(s!.edges[0]!.values), ['requests', 'response_bytes']);
    assert.deepEqual(Object.keys(s!), ['t', 'dt', 'gap', 'edges']);
  });

  it('reads numbers exactly as JSON.parse does: exponents, fractions, negative zero, counters of 1e9 and beyond 15 digits', () => {
    const s = parse(
      '{"t":1.7e9,"dt":2.5E+0,"edges":[{"src":"a","dst":"b","requests":1e3,"request_bytes":0.1,"response_bytes":12345678901234},' +
        '{"src":"a","dst":"c","requests":-0,"request_bytes":2.5e-1,"response_bytes":9007199254740991},{"src":"a","dst":"d","requests":-0.0}]}',
    )!;
    assert.equal(s.t, 1_700_000_000);
    assert.equal(s.dt, 2.5);
    assert.deepEqual(s.edges[0]!.values, { requests: 1000, request_bytes: 0.1, response_bytes: 12_345_678_901_234 });
    // 16 digits, the largest plausible counter (2^53 − 1): beyond the exact digit loop, still exact.
    assert.deepEqual(s.edges[1]!.values, { request_bytes: 0.25, response_bytes: 9_007_199_254_740_991 });
    // -0 is 0: no traffic, so the third edge is not listed.
    assert.equal(s.edges.length, 2);
    // Fractions read by Number() round as JSON.parse rounds.
    const odd = '{"t":1,"dt":0.30000000000000004,"edges":[{"src":"a","dst":"b","requests":123456.789e-3,"request_bytes":4.35e15,"response_bytes":0.1e1}]}';
    assert.deepEqual(parse(odd), general(odd));
    assert.equal(parse(odd)!.dt, 0.30000000000000004);
  });

  it('takes JSON whitespace anywhere between tokens, keys in any order and fields it does not know', () => {
    const line = ' { "edges" : [ { "dst":"b" , "x":"y","flag":true,"none":null,"n":-1.5e2 ,"src":"a","requests": 7 } ] ,\t"dt":1, "t":10 } \r';
    assert.deepEqual(parse(line), { t: 10, dt: 1, gap: false, edges: [{ src: 'a', dst: 'b', values: { requests: 7 } }] });
    assert.deepEqual(parse(line), general(line));
  });

  it('leaves every other line to the general path (undefined), valid or not', () => {
    const others = [
      '{"t":1,"dt":1,"gap":true,"reason":"scrape failed","edges":[]}', // gap line
      '{"t":1,"dt":1,"edges":[{"src":"a\\u0041","dst":"b","requests":1}]}', // escape in a name
      '{"t":1,"dt":1,"edges":[{"src":"café","dst":"b","requests":1}]}', // non-ASCII name
      '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","requests":1,"note":"x\\"y"}]}', // escape in an ignored field
      '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","requests":1,"extra":{"k":1}}]}', // nested ignored field
      '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","requests":1,"requests":2}]}', // duplicate key: JSON.parse keeps the last
      '{"t":1,"dt":1,"name":"r","edges":[]}', // unknown top-level field
      '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","requests":1},{"src":"a","dst":"b","requests":2}]}', // pair twice
      '{"dt":1,"edges":[]}', // missing t
      '{"t":1,"edges":[]}', // missing dt
      '{"t":1,"dt":1}', // missing edges
      '{"t":1,"dt":0,"edges":[]}', // dt not positive
      '{"t":1,"dt":1,"edges":[{"dst":"b","requests":1}]}', // missing src
      '{"t":1,"dt":1,"edges":[{"src":"","dst":"b","requests":1}]}', // empty name
      '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","requests":-1}]}', // negative
      '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","requests":9007199254740993}]}', // beyond any real traffic
      '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","requests":"5"}]}', // a string
      '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","requests":012}]}', // leading zero: not JSON
      '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","requests":1.}]}', // not JSON
      '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","requests":tru}]}', // not JSON
      '{"t":1,"dt":1,"edges":[]}x', // trailing garbage
      '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","requests":1}', // cut off
      '{"t":1e999,"dt":1,"edges":[]}', // t not finite
      '[1,2]',
      '',
      '   ',
    ];
    for (const line of others) assert.equal(parse(line), undefined, line);
  });

  it('gives the same snapshot as the general path on a long mixed run, names shared from line to line', () => {
    const parser = new SnapshotLineParser(metrics);
    const lines = [
      '{"t":5,"dt":5,"edges":[{"src":"a","dst":"b","requests":1},{"src":"b","dst":"c","requests":2,"response_bytes":10}]}',
      // Edges reordered, one left out, one new: the guesses from the line before miss.
      '{"t":10,"dt":5,"edges":[{"src":"b","dst":"c","requests":3},{"src":"c","dst":"a","request_bytes":4},{"src":"a","dst":"bb","requests":5}]}',
      // Keys in another order than before.
      '{"t":15,"dt":5,"edges":[{"requests":6,"dst":"b","src":"a"},{"response_bytes":7,"src":"b","dst":"c"}]}',
      '{"t":20,"dt":5,"edges":[{"src":"ab","dst":"c","requests":1},{"src":"a","dst":"bc","requests":1}]}',
    ];
    const got = lines.map((l) => parser.parse(Buffer.from(l), 0, l.length));
    assert.deepEqual(got, lines.map(general));
    // The same name is one string object on every line.
    assert.equal(got[0]!.edges[0]!.src, got[2]!.edges[0]!.src);
  });

  it('gives the general path\'s snapshots when edges come and go and names are prefixes of the ones before (the guesses only save lookups)', () => {
    const parser = new SnapshotLineParser(metrics);
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // Names that share prefixes (a, ab, abc), so a guess that is one edge off matches the start of the name.
    const names = ['a', 'ab', 'abc', 'b', 'ba', 'c', 'cab', 'd'];
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      const edges: string[] = [];
      for (const src of names) for (const dst of names) if (src !== dst && random() < 0.3) edges.push(`{"src":"${src}","dst":"${dst}","requests":${1 + Math.floor(random() * 9)}}`);
      // Sometimes the order turns round, or one edge moves to the front.
      if (i % 7 === 3) edges.reverse();
      if (i % 5 === 1 && edges.length > 2) edges.unshift(edges.pop()!);
      lines.push(`{"t":${5 * (i + 1)},"dt":5,"edges":[${edges.join(',')}]}`);
    }
    const got = lines.map((l) => parser.parse(Buffer.from(l), 0, l.length));
    assert.deepEqual(got, lines.map(general));
  });

  it('matches metric keys by their UTF-8 bytes, and leaves everything to the general path for a metric name JSON must escape', () => {
    const odd: MetricKey[] = ['réqs', 'requests'];
    const line = '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","réqs":3,"requests":2}]}';
    const fast = new SnapshotLineParser(odd).parse(Buffer.from(line), 0, Buffer.byteLength(line));
    // By hand: both metrics read, in the manifest's order.
    assert.deepEqual(fast, { t: 1, dt: 1, gap: false, edges: [{ src: 'a', dst: 'b', values: { réqs: 3, requests: 2 } }] });
    // Escaped in the file, the same key: the general path's.
    const escaped = '{"t":1,"dt":1,"edges":[{"src":"a","dst":"b","r\\u00e9qs":3}]}';
    assert.equal(new SnapshotLineParser(odd).parse(Buffer.from(escaped), 0, escaped.length), undefined);
    for (const name of ['a"b', 'a\\b', 'tab\there', 'src', '\ud800']) {
      const plain = '{"t":1,"dt":1,"edges":[]}';
      assert.equal(new SnapshotLineParser([name, 'requests']).parse(Buffer.from(plain), 0, plain.length), undefined, JSON.stringify(name));
    }
  });

  it('does not read past the end it is given', () => {
    const buf = Buffer.from('{"t":1,"dt":1,"edges":[]}{"t":2}');
    assert.equal(new SnapshotLineParser(metrics).parse(buf, 0, 25), undefined);
    const nl = Buffer.from('{"t":1,"dt":1,"edges":[]}\n{"t":2}');
    assert.deepEqual(new SnapshotLineParser(metrics).parse(nl, 0, 25), { t: 1, dt: 1, gap: false, edges: [] });
  });

  it('forgets names beyond its limit without mixing them up', () => {
    const parser = new SnapshotLineParser(metrics);
    for (let i = 0; i < 70_000; i += 1000) {
      const edges = Array.from({ length: 1000 }, (_, k) => `{"src":"n${i + k}","dst":"x","requests":1}`).join(',');
      const line = `{"t":${i + 1},"dt":1,"edges":[${edges}]}`;
      const s = parser.parse(Buffer.from(line), 0, line.length)!;
      assert.equal(s.edges.length, 1000);
      assert.equal(s.edges[999]!.src, `n${i + 999}`);
    }
  });
});

describe('readSnapshots (fast path and general path together)', () => {
  const tmp = makeTempDir('munnin-fastread-');
  after(() => tmp.remove());
  const manifest = { format: 'munnin-run/1', intervalSeconds: 5, metrics: ['requests', 'response_bytes'] };
  const read = async (text: string): Promise<{ snapshots: Snapshot[]; log: string }> => {
    const dir = writeRunFiles(join(tmp.dir, `r${Math.random().toString(36).slice(2)}`), { manifest, snapshots: text });
    const log = captureLog();
    try {
      const snapshots: Snapshot[] = [];
      for await (const s of readSnapshots(dir, manifest.metrics)) snapshots.push(s);
      return { snapshots, log: log.text() };
    } finally {
      log.restore();
    }
  };

  it('reads escapes in label values, gap lines, CRLF and a last line without newline', async () => {
    const text =
      '\ufeff{"t":5,"dt":5,"edges":[{"src":"front-end","dst":"us\\u0065r\\n\\"x\\"","requests":2}]}\r\n' +
      '{"t":10,"dt":5,"gap":true,"reason":"scrape failed","edges":[]}\r\n' +
      '\r\n' +
      '{"t":15,"dt":5,"edges":[{"src":"café","dst":"b","response_bytes":1e9}]}\r\n' +
      '{"t":20,"dt":5,"edges":[{"src":"a","dst":"b","requests":3}]}';
    const { snapshots, log } = await read(text);
    assert.deepEqual(snapshots, [
      { t: 5, dt: 5, gap: false, edges: [{ src: 'front-end', dst: 'user\n"x"', values: { requests: 2 } }] },
      { t: 10, dt: 5, gap: true, reason: 'scrape failed', edges: [] },
      { t: 15, dt: 5, gap: false, edges: [{ src: 'café', dst: 'b', values: { response_bytes: 1_000_000_000 } }] },
      { t: 20, dt: 5, gap: false, edges: [{ src: 'a', dst: 'b', values: { requests: 3 } }] },
    ]);
    assert.equal(log, '');
  });

  it('still names file, line and field of a bad line, and keeps it as a gap when t and dt are readable', async () => {
    const text =
      '{"t":5,"dt":5,"edges":[{"src":"a","dst":"b","requests":1}]}\n' +
      '{"t":10,"dt":5,"edges":[{"src":"a","dst":"b","requests":-3}]}\n' +
      '{"t":15,"dt":5,"edges":[{"src":"a","dst":"b"},{"src":"a","dst":"b","requests":1}]}\n' +
      '{"t":20,"dt":5,"edges":[{"dst":"b","requests":1}]}\n' +
      '{"t":25,"dt":5,"edges":[{"src":"a","dst":"b","requests":012}]}\n' +
      '{"t":30,"dt":5,"edges":[{"src":"a","dst":"b","requests":1}';
    const { snapshots, log } = await read(text);
    assert.deepEqual(
      snapshots.map((s) => [s.t, s.gap]),
      [
        [5, false],
        [10, true],
        [15, true],
        [20, true],
      ],
    );
    assert.match(log, /snapshots\.ndjson:2: edges\[0\]\.requests: expected a non-negative number \(got -3\); interval kept as a gap/);
    assert.match(log, /snapshots\.ndjson:3: edges\[1\]: a → b appears twice; interval kept as a gap/);
    assert.match(log, /snapshots\.ndjson:4: edges\[0\]\.src: expected a node name \(got nothing\); interval kept as a gap/);
    assert.match(log, /snapshots\.ndjson:5: not valid JSON .*; line skipped/);
    assert.match(log, /snapshots\.ndjson:6: last line is incomplete/);
  });
});

describe('SnapshotLineParser on a file', () => {
  const tmp = makeTempDir('munnin-fastread2-');
  after(() => tmp.remove());
  it('reads a file with a very long line spanning many chunks', async () => {
    const edges = Array.from({ length: 40_000 }, (_, k) => `{"src":"s${k}","dst":"d","requests":${k + 1}}`).join(',');
    const dir = writeRunFiles(join(tmp.dir, 'long'), { manifest: { format: 'munnin-run/1', intervalSeconds: 5, metrics: ['requests'] } });
    writeFileSync(join(dir, 'snapshots.ndjson'), `{"t":5,"dt":5,"edges":[${edges}]}\n{"t":10,"dt":5,"edges":[]}\n`);
    const got: Snapshot[] = [];
    for await (const s of readSnapshots(dir, ['requests'])) got.push(s);
    assert.equal(got.length, 2);
    assert.equal(got[0]!.edges.length, 40_000);
    assert.deepEqual(got[0]!.edges[39_999], { src: 's39999', dst: 'd', values: { requests: 40_000 } });
  });
});

test('seeded random lines (key order, whitespace, number forms, escapes, odd fields, bad values): whatever the fast path reads is exactly what JSON.parse + decodeSnapshotOrGap read, without a problem', () => {
  const metrics = ['requests', 'request_bytes', 'tcp_sent_bytes'];
  const random = mulberry32(7);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(random() * a.length)]!;
  const names = ['a', 'front-end', 'x y', 'é', 'a\\"b', '172.17.0.1', '', 'q\\u0041', 'unknown'];
  const numbers = ['0', '1', '12', '-0', '-1', '1.5', '1e3', '1E+2', '2.50', '123456789012345', '1234567890123456789', '0.0001', '1e400', '01', '1.', 'NaN', '"5"', 'null', 'true', '9007199254740993'];
  const space = () => pick(['', '', ' ', '\t', '\n ']);
  const parser = new SnapshotLineParser(metrics);
  let fast = 0;
  for (let i = 0; i < 20_000; i++) {
    const edges: string[] = [];
    for (let e = Math.floor(random() * 4); e > 0; e--) {
      const keys: string[] = [];
      if (random() > 0.03) keys.push(`"src"${space()}:${space()}"${pick(names)}"`);
      if (random() > 0.03) keys.push(`"dst"${space()}:${space()}"${pick(names)}"`);
      for (const m of [...metrics, 'other', 'requests']) if (random() > 0.5) keys.push(`"${m}":${space()}${pick(numbers)}`);
      keys.sort(() => random() - 0.5);
      edges.push(`{${space()}${keys.join(`${space()},${space()}`)}${space()}}`);
    }
    const fields = [`"t":${pick(['100', '100.5', '1e2', '-1', '"x"'])}`, `"dt":${pick(['5', '0', '2.5', '-5'])}`, `"edges":[${edges.join(',')}]`];
    if (random() < 0.05) fields.push(`"gap":${pick(['true', 'false'])}`);
    if (random() < 0.05) fields.push('"reason":"x"');
    if (random() < 0.05) fields.push('"extra":1');
    fields.sort(() => random() - 0.5);
    const line = `${space()}{${fields.join(',')}}${space()}`;
    const bytes = Buffer.from(line, 'utf8');
    const read = parser.parse(bytes, 0, bytes.length);
    if (read === undefined) continue;
    fast++;
    const kept = decodeSnapshotOrGap(JSON.parse(line), metrics);
    assert.equal(kept.problem, undefined, `the fast path read a line the general path flags: ${line}`);
    assert.deepEqual(read, kept.snapshot, line);
  }
  // The generator makes the common shape often enough that the comparison means something.
  assert.ok(fast > 1_000, `${fast} lines read by the fast path`);
});
