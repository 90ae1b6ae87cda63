import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.ts';
import { setLogSink } from '../../src/logger.ts';
import { loadReportInputs, readRun, parseCsv, readNdjson, readScoresCsv } from '../../src/report/index.ts';
import { tempDir, writeRun } from './runFixture.ts';

let dir: string;
before(() => {
  dir = tempDir('readers');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('readNdjson', () => {
  it('reads every line with its number, skipping blank lines', async () => {
    const lines = await readNdjson(file('a.ndjson', '{"a":1}\n\n{"a":2}\n'));
    assert.deepEqual(lines, [
      { line: 1, value: { a: 1 } },
      { line: 3, value: { a: 2 } },
    ]);
  });

  it('drops a truncated last line with a warning naming it', async () => {
    const messages: string[] = [];
    const restore = setLogSink((level, m) => messages.push(`${level}: ${m}`));
    try {
      const lines = await readNdjson(file('b.ndjson', '{"a":1}\n{"a":2}\n{"a":'));
      assert.deepEqual(
        lines.map((l) => l.value),
        [{ a: 1 }, { a: 2 }],
      );
    } finally {
      restore();
    }
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? '', /^warn: .*b\.ndjson:3: ignoring truncated last line/);
  });

  it('rejects a bad line that is not the last, naming file and line', async () => {
    await assert.rejects(readNdjson(file('c.ndjson', '{"a":1}\n{oops}\n{"a":3}\n')), (e: unknown) => e instanceof UserError && /c\.ndjson:2: not valid JSON/.test(e.message));
  });

  it('says so when the file is missing', async () => {
    await assert.rejects(readNdjson(join(dir, 'nope.ndjson')), (e: unknown) => e instanceof UserError && /nope\.ndjson: file not found/.test(e.message));
  });
});

describe('readScoresCsv', () => {
  it('reads rows by header name, whatever the column order, with true/false or 1/0 alarms', async () => {
    const rows = await readScoresCsv(file('s1.csv', 'detector,t,alarm,threshold,score,extra\newma,100.5,true,3,4.5,x\n"pair, ratio",105,0,3,,y\n'));
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0], { t: 100.5, detector: 'ewma', score: 4.5, threshold: 3, alarm: true });
    assert.equal(rows[1]?.detector, 'pair, ratio');
    assert.ok(Number.isNaN(rows[1]?.score));
    assert.equal(rows[1]?.alarm, false);
  });

  it('names a missing column', async () => {
    await assert.rejects(readScoresCsv(file('s2.csv', 't,detector,score,alarm\n1,a,2,false\n')), /s2\.csv:1: missing column "threshold"/);
  });

  it('names the line and value of a bad row, but tolerates a cut-off last row', async () => {
    await assert.rejects(readScoresCsv(file('s3.csv', 't,detector,score,threshold,alarm\n1,a,2,3,false\nx,a,2,3,false\n2,a,2,3,false\n')), /s3\.csv:3: bad t value "x"/);
    const rows = await readScoresCsv(file('s4.csv', 't,detector,score,threshold,alarm\n1,a,2,3,false\n2,a,2,3,tr'));
    assert.equal(rows.length, 1);
  });

  it('parses quoted fields holding quotes, commas and newlines', () => {
    assert.deepEqual(parseCsv('a,"b ""q"", c\nd"\r\ne,f'), [
      { line: 1, fields: ['a', 'b "q", c\nd'] },
      { line: 3, fields: ['e', 'f'] },
    ]);
  });

  it('takes a quote inside an unquoted field literally', () => {
    assert.deepEqual(parseCsv('1,<b onclick="x()">d</b>,2\n'), [{ line: 1, fields: ['1', '<b onclick="x()">d</b>', '2'] }]);
  });
});

describe('loadReportInputs', () => {
  it('reads a stale read of one metric as replay does (a gap, all its traffic in the next slice), so reports and exports show what the detectors saw', async () => {
    const run = join(dir, 'stale-metric');
    const slice = (t: number, received: number) => ({ t, dt: 5, edges: ['a', 'b', 'c'].map((src) => ({ src, dst: 'db', tcp_sent_bytes: 100, tcp_received_bytes: received })) });
    writeRun(run, { intervalSeconds: 5, metrics: ['tcp_sent_bytes', 'tcp_received_bytes'] }, [slice(5, 40), slice(10, 0), slice(15, 50)], []);
    const { snapshots } = await readRun(run, { quiet: true });
    assert.deepEqual(snapshots.map((x) => [x.t, x.gap]), [[5, false], [10, true], [15, false]]);
    // Slice 15 holds both: sent 100 + 100, received 0 + 50, on each edge.
    assert.deepEqual(snapshots[2]!.edges.map((e) => e.values), [0, 1, 2].map(() => ({ tcp_sent_bytes: 200, tcp_received_bytes: 50 })));
  });

  it('reads a bad snapshot line as replay does (kept as a gap), and names the file and field of a bad run.json or summary', async () => {
    const run = join(dir, 'run1');
    writeRun(run, { intervalSeconds: 5, metrics: ['request_bytes'] }, [{ t: 5, dt: 5, edges: [{ src: 'a', dst: 'b', request_bytes: -1 }] }], []);
    mkdirSync(join(run, 'replay'), { recursive: true });
    // run-format.md: a reader reports a bad line and goes on; one whose t and dt are readable is an interval of unknown traffic.
    const { snapshots } = await readRun(run, { quiet: true });
    assert.deepEqual(snapshots.map((x) => [x.t, x.gap, x.edges.length]), [[5, true, 0]]);
    writeRun(run, { intervalSeconds: 5, metrics: ['request_bytes'] }, [{ t: 5, dt: 5, edges: [] }], []);
    await assert.rejects(loadReportInputs(run, join(run, 'replay')), /summary\.json: file not found/);
    writeFileSync(join(run, 'replay', 'summary.json'), JSON.stringify({ detectors: { ewma: { tp: 'many' } } }));
    await assert.rejects(loadReportInputs(run, join(run, 'replay')), /summary\.json: detectors\.ewma\.tp:/);
    writeFileSync(join(run, 'run.json'), JSON.stringify({ format: 'munnin-run/1', intervalSeconds: 0, metrics: ['x'] }));
    await assert.rejects(loadReportInputs(run, join(run, 'replay')), /run\.json: intervalSeconds: expected a positive number of seconds \(got 0\)/);
  });
});
