import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ExpositionParseError, labelSetKey, parseExposition, type ExpositionSample } from '../../src/telemetry/index.ts';

const fixture = readFileSync(new URL('../fixtures/telemetry/front-end-sidecar.prom', import.meta.url), 'utf8');

function withoutLe(labels: Readonly<Record<string, string>>): string {
  return labelSetKey(Object.fromEntries(Object.entries(labels).filter(([name]) => name !== 'le')));
}

function parseError(text: string): ExpositionParseError {
  try {
    parseExposition(text);
  } catch (e) {
    assert.ok(e instanceof ExpositionParseError, `expected an ExpositionParseError, got ${String(e)}`);
    return e;
  }
  assert.fail(`parsed without error: ${JSON.stringify(text)}`);
}

describe('parseExposition', () => {
  it('reads an Istio sidecar exposition: families, types and every sample', () => {
    const families = parseExposition(fixture);
    assert.deepEqual(
      families.map((f) => [f.name, f.type, f.samples.length]),
      [
        ['istio_requests_total', 'counter', 4],
        // 4 label sets × (19 finite buckets + the +Inf bucket + _sum + _count)
        ['istio_request_bytes', 'histogram', 88],
        ['istio_response_bytes', 'histogram', 88],
        ['istio_tcp_sent_bytes_total', 'counter', 1],
        ['istio_tcp_received_bytes_total', 'counter', 1],
        ['istio_tcp_connections_opened_total', 'counter', 1],
        ['envoy_server_uptime', 'gauge', 1],
      ],
    );
    const requests = families[0]!.samples;
    assert.deepEqual(
      requests.map((s) => [s.labels['reporter'], s.labels['source_workload'], s.labels['destination_service_name'], s.labels['response_code'], s.value]),
      [
        ['source', 'front-end', 'catalogue', '200', 12],
        ['source', 'front-end', 'catalogue', '404', 2],
        ['source', 'front-end', 'user', '200', 7],
        ['destination', 'unknown', 'front-end', '200', 31],
      ],
    );
    assert.equal(Object.keys(requests[0]!.labels).length, 25);
    assert.equal(requests[0]!.labels['grpc_response_status'], '');
    assert.deepEqual({ ...families[6]!.samples[0]!.labels }, {});
  });

  it('keeps the label sets of one histogram family apart (_bucket, _sum, _count per edge)', () => {
    const family = parseExposition(fixture).find((f) => f.name === 'istio_request_bytes')!;
    const edge = (s: ExpositionSample) => [s.labels['source_workload'], s.labels['destination_service_name'], s.labels['response_code']];
    const named = (suffix: string) => family.samples.filter((s) => s.name === `istio_request_bytes_${suffix}`);
    const sums = named('sum');
    const counts = named('count');
    const buckets = named('bucket');
    assert.deepEqual(
      sums.map((s) => [...edge(s), s.value]),
      [
        ['front-end', 'catalogue', '200', 4410],
        ['front-end', 'catalogue', '404', 610],
        ['front-end', 'user', '200', 2380],
        ['unknown', 'front-end', '200', 9920],
      ],
    );
    assert.deepEqual(
      counts.map((s) => [...edge(s), s.value]),
      [
        ['front-end', 'catalogue', '200', 12],
        ['front-end', 'catalogue', '404', 2],
        ['front-end', 'user', '200', 7],
        ['unknown', 'front-end', '200', 31],
      ],
    );
    const bucketsOf = (sum: ExpositionSample) => buckets.filter((b) => withoutLe(b.labels) === labelSetKey(sum.labels));
    for (const sum of sums) assert.equal(bucketsOf(sum).length, 20, `buckets of ${labelSetKey(sum.labels)}`);
    const first = sums[0]!;
    assert.equal('le' in first.labels, false);
    const firstBuckets = bucketsOf(first).map((b): [string | undefined, number] => [b.labels['le'], b.value]);
    assert.deepEqual(firstBuckets.slice(0, 2), [
      ['0.5', 0],
      ['1', 0],
    ]);
    // mean size 4410/12 = 367.5: the first bucket at or above it is le=500.
    assert.deepEqual(firstBuckets.find(([, count]) => count > 0), ['500', 12]);
    assert.deepEqual(firstBuckets.at(-1), ['+Inf', 12]);
  });

  it('unescapes \\\\, \\" and \\n in label values and \\\\, \\n in HELP', () => {
    const text = [
      '# HELP odd_total A help text with a \\\\ backslash\\nand a second line',
      '# TYPE odd_total counter',
      'odd_total{path="C:\\\\dir\\\\\\"quoted\\"",note="line1\\nline2",plain="a,b=c}"} 3',
    ].join('\n');
    const [family] = parseExposition(text);
    assert.equal(family?.help, 'A help text with a \\ backslash\nand a second line');
    const labels = family?.samples[0]?.labels;
    assert.equal(labels?.['path'], 'C:\\dir\\"quoted"');
    assert.equal(labels?.['note'], 'line1\nline2');
    assert.equal(labels?.['plain'], 'a,b=c}');
    assert.equal(family?.samples[0]?.value, 3);
  });

  it('reads NaN, ±Inf, exponents, timestamps, blank lines, comments, CRLF and a trailing comma', () => {
    const text = [
      '# a comment that is neither HELP nor TYPE',
      '',
      'g_nan NaN',
      'g_inf{a="1",} +Inf 1700000000123',
      'g_neg -Inf',
      'g_exp 1.5e3\r',
      'g_dot .25 -42',
      '   g_indented\t7  ',
    ].join('\n');
    const samples = parseExposition(text).flatMap((f) => f.samples);
    assert.equal(samples.length, 6);
    assert.ok(Number.isNaN(samples[0]!.value));
    assert.equal(samples[1]!.value, Number.POSITIVE_INFINITY);
    assert.equal(samples[1]!.timestampMillis, 1700000000123);
    assert.equal(samples[1]!.labels['a'], '1');
    assert.equal(samples[2]!.value, Number.NEGATIVE_INFINITY);
    assert.equal(samples[3]!.value, 1500);
    assert.equal(samples[4]!.value, 0.25);
    assert.equal(samples[4]!.timestampMillis, -42);
    assert.equal(samples[5]!.name, 'g_indented');
    assert.equal(samples[5]!.value, 7);
    assert.equal(samples[5]!.timestampMillis, undefined);
  });

  it('puts samples that do not fit a family under their own untyped family', () => {
    const text = ['# TYPE c_total counter', 'c_total 1', 'c_total_bucket{le="1"} 2', 'other 3'].join('\n');
    assert.deepEqual(
      parseExposition(text).map((f) => [f.name, f.type, f.samples.map((s) => s.value)]),
      [
        ['c_total', 'counter', [1]],
        ['c_total_bucket', 'untyped', [2]],
        ['other', 'untyped', [3]],
      ],
    );
  });

  it('returns only the samples asked for, still checking every line', () => {
    const keep = (name: string) => name.endsWith('_sum');
    const families = parseExposition(fixture, { keep });
    assert.deepEqual(
      families.map((f) => [f.name, f.samples.map((s) => s.value)]),
      [
        ['istio_requests_total', []],
        ['istio_request_bytes', [4410, 610, 2380, 9920]],
        ['istio_response_bytes', [98211, 180, 15022, 402311]],
        ['istio_tcp_sent_bytes_total', []],
        ['istio_tcp_received_bytes_total', []],
        ['istio_tcp_connections_opened_total', []],
        ['envoy_server_uptime', []],
      ],
    );
    assert.equal(families[1]!.samples[0]!.labels['destination_service_name'], 'catalogue');
    // Skipped lines are still read far enough to reject garbage.
    assert.throws(() => parseExposition('a_bucket{le="1"} x\nb_sum 1', { keep }), /^ExpositionParseError: line 1: invalid sample value "x"/);
    assert.throws(() => parseExposition('b_sum 1\na_bucket{le="1" 3', { keep }), /line 2: unterminated label set/);
    assert.throws(() => parseExposition('<html>', { keep }), /line 1: expected a metric name/);
  });

  it('rejects malformed lines with their line number', () => {
    const cases: [string, number, RegExp][] = [
      ['ok 1\nmissing_value', 2, /missing sample value/],
      ['ok 1\n\nm{a="x} 1', 3, /unterminated value of label a/],
      ['m{a="x\\t"} 1', 1, /invalid escape "\\t"/],
      ['m{a="1",a="2"} 1', 1, /label a appears twice/],
      ['m{a="1" b="2"} 1', 1, /expected ',' or '}'/],
      ['m{a=1} 1', 1, /expected '"'/],
      ['m{="1"} 1', 1, /expected a label name/],
      ['m{a="1"', 1, /unterminated label set/],
      ['m abc', 1, /invalid sample value "abc"/],
      ['m 0x10', 1, /invalid sample value "0x10"/],
      ['1m 1', 1, /expected a metric name/],
      ['m-x 1', 1, /invalid character in metric name/],
      ['m 1 12.5', 1, /invalid timestamp "12.5"/],
      ['m 1 12 extra', 1, /unexpected text after the timestamp/],
      ['# TYPE m counter\n# TYPE m gauge', 2, /second # TYPE line for m/],
      ['# TYPE m flavour', 1, /unknown metric type "flavour"/],
      ['m 1\n# TYPE m counter', 2, /# TYPE for m after its samples/],
      ['# TYPE h histogram\nh 1', 2, /does not fit the # TYPE of its family/],
      ['# HELP', 1, /# HELP needs a valid metric name/],
      ['<html><body>Not Found</body></html>', 1, /expected a metric name/],
    ];
    for (const [text, line, message] of cases) {
      const error = parseError(text);
      assert.equal(error.line, line, `line of ${JSON.stringify(text)}: ${error.message}`);
      assert.match(error.message, message, `message for ${JSON.stringify(text)}`);
      assert.match(error.message, new RegExp(`^line ${line}: `));
    }
  });

  it('parses a whole Envoy-sized exposition (14 sidecars × 200 label sets) without losing a sample', () => {
    const lines: string[] = ['# TYPE istio_request_bytes histogram'];
    let expectedSum = 0;
    for (let i = 0; i < 2800; i++) {
      const labels = `reporter="source",source_workload="w${i % 14}",destination_service_name="s${i}",response_code="200"`;
      for (const le of ['1', '10', '100', '+Inf']) lines.push(`istio_request_bytes_bucket{${labels},le="${le}"} ${i}`);
      lines.push(`istio_request_bytes_sum{${labels}} ${i * 3}`, `istio_request_bytes_count{${labels}} ${i}`);
      expectedSum += i * 3;
    }
    const [family] = parseExposition(lines.join('\n'));
    assert.equal(family?.samples.length, 2800 * 6);
    const sums = family!.samples.filter((s) => s.name === 'istio_request_bytes_sum');
    assert.equal(new Set(sums.map((s) => labelSetKey(s.labels))).size, 2800);
    assert.equal(sums.reduce((sum, s) => sum + s.value, 0), expectedSum);
  });
});
