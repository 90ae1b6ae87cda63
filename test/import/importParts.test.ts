import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.ts';
import { createServer } from 'node:net';
import { importMain } from '../../src/cli/import.ts';
import { csvFields, historyGrid, ImportProgress, nodeFromCsv, parseDuration, parseTime } from '../../src/import/index.ts';

const NOW = 1_765_000_000;

describe('import: times, grid, CSV fields, progress', () => {
  it('reads RFC 3339, now, relative times and Unix seconds; refuses anything else naming the flag', () => {
    assert.equal(parseTime('start', '2026-12-05T14:00:00Z', NOW), Date.UTC(2026, 11, 5, 14) / 1000);
    assert.equal(parseTime('start', '2026-12-05T15:00:00.5+01:00', NOW), Date.UTC(2026, 11, 5, 14) / 1000 + 0.5);
    assert.equal(parseTime('end', 'now', NOW), NOW);
    assert.equal(parseTime('start', '-2h', NOW), NOW - 7200);
    assert.equal(parseTime('start', 'now-30m', NOW), NOW - 1800);
    assert.equal(parseTime('start', '-90s', NOW), NOW - 90);
    assert.equal(parseTime('start', '1500000000.5', NOW), 1_500_000_000.5);
    assert.throws(() => parseTime('start', 'yesterday', NOW), /--start: expected an RFC 3339 time .* \(got "yesterday"\)/);
    assert.throws(() => parseTime('end', '2026-12-05 14:00', NOW), /--end:/);
    assert.equal(parseDuration('step', '15s'), 15);
    assert.equal(parseDuration('step', '1m'), 60);
    assert.equal(parseDuration('step', '2'), 2);
    assert.throws(() => parseDuration('step', '0'), /--step: expected a positive duration/);
  });

  it('cuts the grid into chunks of at most the points asked, none overlapping, covering every step', () => {
    const grid = historyGrid(1000, 1050, 1, 7);
    assert.equal(grid.points, 51);
    assert.deepEqual(grid.chunks.map((c) => [c.from, c.to]), [[0, 6], [7, 13], [14, 20], [21, 27], [28, 34], [35, 41], [42, 48], [49, 50]]);
    // (end − start)/step not whole: the last point is the last one at or before end.
    assert.equal(historyGrid(0, 10.5, 2, 11_000).points, 6);
    // A day at 1 s is more points than one query may ask for: 8 chunks of at most 11,000.
    const day = historyGrid(0, 86_400, 1, 11_000);
    assert.equal(day.chunks.length, 8);
    assert.ok(day.chunks.every((c) => c.to - c.from + 1 <= 11_000));
    assert.throws(() => historyGrid(0, 100, 1, 11_001), /--points-per-query: expected a whole number from 2 to 11000/);
    assert.throws(() => historyGrid(100, 50, 1, 100), /--end must come after --start/);
  });

  it('splits CSV lines as RFC 4180 quotes them, and undoes export\'s spreadsheet guard', () => {
    assert.deepEqual(csvFields('1,a,b,requests,3'), ['1', 'a', 'b', 'requests', '3']);
    assert.deepEqual(csvFields('1,"a,b","say ""hi""",,3\r'), ['1', 'a,b', 'say "hi"', '', '3']);
    assert.equal(csvFields('1,"open,2'), 'a quoted field is not closed on its line');
    assert.equal(csvFields('1,a"b,2'), 'a quote inside an unquoted field');
    assert.equal(nodeFromCsv("'=cmd"), '=cmd');
    assert.equal(nodeFromCsv("'-x"), '-x');
    assert.equal(nodeFromCsv("'quoted'"), "'quoted'");
  });

  it('shows a bar with the share done and an ETA from the pace so far', () => {
    assert.equal(ImportProgress.line('importing', 250, 1000, 10, 'steps'), 'importing [#####...............]  25 % 250/1000 steps, 30 s left');
    assert.equal(ImportProgress.line('importing', 500, 1000, 120, 'steps'), 'importing [##########..........]  50 % 500/1000 steps, 2 min 0 s left');
    assert.equal(ImportProgress.line('importing', 1000, 1000, 42, 'steps'), 'importing [####################] 100 % 1000/1000 steps, 42 s');
  });

  it('import prometheus: names missing and misplaced flags; takes --start -2h as a time', async () => {
    await assert.rejects(importMain(['prometheus', '--url', 'http://127.0.0.1:9'], () => {}), /import prometheus needs --start, --end, --step/);
    await assert.rejects(importMain(['prometheus', '--url', 'http://127.0.0.1:9', '--start', '-1h', '--end', 'now', '--step', '15s', '--interval', '2'], () => {}), /--interval goes with csv/);
    await assert.rejects(importMain(['prometheus', '--url', 'http://127.0.0.1:9', '--start', '-1h', '--end', '-2h', '--step', '15s'], () => {}), /--end must come after --start/);
    await assert.rejects(importMain(['parquet'], () => {}), /expected prometheus or csv first \(got "parquet"\)/);
  });

  it('import: every mistake of the command line at once, each with its flag and value', async () => {
    await assert.rejects(importMain(['prometheus', '--url', 'not a url', '--start', 'yesterday', '--step', 'often', '--interval', '2', '--name', 'a b'], () => {}), (e: unknown) => {
      assert.ok(e instanceof UserError);
      const lines = e.message.split('\n');
      assert.equal(lines[0], '6 problems with the command line:');
      assert.match(lines[1]!, /--name: letters, digits, dot, dash and underscore only \(got "a b"\)/);
      assert.match(lines[2]!, /--interval goes with csv/);
      assert.match(lines[3]!, /import prometheus needs --end \(see --help\)/);
      assert.match(lines[4]!, /--start.*"yesterday"/);
      assert.match(lines[5]!, /--step.*"often"/);
      assert.match(lines[6]!, /--url: expected a URL .*\(got "not a url"\)/);
      return true;
    });
    await assert.rejects(importMain(['csv', '--step', '15s'], () => {}), (e: unknown) => e instanceof UserError && e.message === '2 problems with the command line:\n  --step goes with prometheus\n  import csv takes one traffic.csv (got none)');
  });

  it('import prometheus: a store that refuses every connection is an error before anything is written', async () => {
    const { importPrometheus } = await import('../../src/import/index.ts');
    const { makeTempDir } = await import('../util.ts');
    const { existsSync } = await import('node:fs');
    // A port nothing listens on: taken and released.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const tmp = makeTempDir();
    try {
      const dir = `${tmp.dir}/run`;
      await assert.rejects(
        importPrometheus({ url: `http://127.0.0.1:${port}`, startSeconds: 1000, endSeconds: 1010, stepSeconds: 1, dir, name: 'run', sleep: async () => {} }),
        (e: unknown) => e instanceof UserError && e.message === `cannot read http://127.0.0.1:${port}: connection refused`,
      );
      assert.equal(existsSync(dir), false);
    } finally {
      tmp.remove();
    }
  });
});
