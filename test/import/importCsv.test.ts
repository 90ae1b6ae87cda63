import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importMain } from '../../src/cli/import.ts';
import { UserError } from '../../src/errors.ts';
import { importCsv } from '../../src/import/index.ts';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { exportRun } from '../../src/report/index.ts';
import { captureLog, makeTempDir, readRunBack, writeRunFiles } from '../util.ts';

const FIXTURE = 'test/fixtures/munnin-cybermonday-30k';
const quiet = () => {};

/** summary.json without the run's name (the import is a run of another name). */
function summaryOf(dir: string): unknown {
  const { run: _run, ...rest } = JSON.parse(readFileSync(join(dir, 'replay', 'summary.json'), 'utf8')) as Record<string, unknown>;
  return rest;
}

describe('import csv', () => {
  it('export → import → replay gives the summary of replaying the original (Munnin 2018 run)', async () => {
    const tmp = makeTempDir();
    const log = captureLog();
    try {
      const original = join(tmp.dir, 'original');
      cpSync(FIXTURE, original, { recursive: true });
      await exportRun({ runDir: original });
      const imported = join(tmp.dir, 'imported');
      const code = await importMain(['csv', join(original, 'export', 'traffic.csv'), '--events', join(original, 'events.ndjson'), '--out', imported, '--quiet'], quiet);
      assert.equal(code, 0);
      const detectors = resolveParameters({}).detectors;
      for (const dir of [original, imported]) await runReplay(dir, { outDir: join(dir, 'replay'), detectors });
      const a = summaryOf(original);
      assert.deepEqual(summaryOf(imported), a);
      // Not a vacuous equality: the fixture's five attacks were scored.
      assert.equal((a as { attackIntervals: number }).attackIntervals, 5);
      const back = await readRunBack(imported);
      const orig = await readRunBack(original);
      assert.equal(back.manifest.intervalSeconds, 5);
      assert.deepEqual(back.manifest.metrics, ['tcp_sent_bytes', 'tcp_received_bytes']);
      assert.equal(back.manifest.complete, true);
      assert.deepEqual(back.snapshots.map((s) => [s.t, s.dt]), orig.snapshots.map((s) => [s.t, s.dt]));
    } finally {
      log.restore();
      tmp.remove();
    }
  });

  it('keeps gaps, silent intervals, quoted and spreadsheet-neutralised names exactly', async () => {
    const tmp = makeTempDir();
    const log = captureLog();
    try {
      const original = writeRunFiles(join(tmp.dir, 'original'), {
        manifest: { format: 'munnin-run/1', intervalSeconds: 2, metrics: ['requests', 'response_bytes'] },
        snapshots: [
          '{"t":102,"dt":2,"edges":[{"src":"=cmd","dst":"a,b","requests":3,"response_bytes":1500},{"src":"x \\"q\\"","dst":"-y","response_bytes":7}]}',
          '{"t":104,"dt":2,"gap":true,"edges":[]}',
          '{"t":106,"dt":2,"edges":[]}',
          '{"t":108.5,"dt":2.5,"edges":[{"src":"=cmd","dst":"a,b","requests":1}]}',
        ].join('\n'),
      });
      await exportRun({ runDir: original });
      const imported = join(tmp.dir, 'imported');
      const result = await importCsv({ trafficFile: join(original, 'export', 'traffic.csv'), intervalsFile: join(original, 'export', 'intervals.csv'), dir: imported, name: 'imported' });
      assert.deepEqual([result.intervals, result.gaps], [4, 1]);
      const back = await readRunBack(imported);
      assert.deepEqual(
        back.snapshots.map((s) => ({ t: s.t, dt: s.dt, gap: s.gap, edges: s.edges.map((e) => ({ src: e.src, dst: e.dst, values: e.values })) })),
        [
          { t: 102, dt: 2, gap: false, edges: [{ src: '=cmd', dst: 'a,b', values: { requests: 3, response_bytes: 1500 } }, { src: 'x "q"', dst: '-y', values: { response_bytes: 7 } }] },
          { t: 104, dt: 2, gap: true, edges: [] },
          { t: 106, dt: 2, gap: false, edges: [] },
          { t: 108.5, dt: 2.5, gap: false, edges: [{ src: '=cmd', dst: 'a,b', values: { requests: 1 } }] },
        ],
      );
      assert.deepEqual(back.manifest.metrics, ['requests', 'response_bytes']);
    } finally {
      log.restore();
      tmp.remove();
    }
  });

  it('without intervals.csv, fills the grid with silent intervals at --interval', async () => {
    const tmp = makeTempDir();
    try {
      const file = join(tmp.dir, 'traffic.csv');
      writeFileSync(file, 't,src,dst,metric,value\n10,a,b,request_bytes,5\n10,a,c,request_bytes,0\n16,a,b,request_bytes,9\n');
      const notes: string[] = [];
      const result = await importCsv({ trafficFile: file, intervalSeconds: 2, dir: join(tmp.dir, 'run'), name: 'run', note: (m) => notes.push(m) });
      const back = await readRunBack(result.dir);
      assert.deepEqual(back.snapshots.map((s) => [s.t, s.dt, s.gap, s.edges.length]), [[10, 2, false, 1], [12, 2, false, 0], [14, 2, false, 0], [16, 2, false, 1]]);
      // The zero row is no traffic: a → c is not an edge of that interval.
      assert.deepEqual(back.snapshots[0]!.edges.map((e) => `${e.src}>${e.dst}`), ['a>b']);
      assert.match(notes.join('\n'), /2 intervals without rows were taken as silent/);
    } finally {
      tmp.remove();
    }
  });

  it('reports every bad row with its line number and writes nothing', async () => {
    const tmp = makeTempDir();
    try {
      const file = join(tmp.dir, 'traffic.csv');
      writeFileSync(file, ['t,src,dst,metric,value', '10,a,b,request_bytes,5', 'ten,a,b,request_bytes,5', '12,,b,request_bytes,-1', '12,a,"b,request_bytes,1', '9,a,b,request_bytes,1', ''].join('\n'));
      const dir = join(tmp.dir, 'run');
      await assert.rejects(importCsv({ trafficFile: file, dir, name: 'run' }), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, /4 problems/);
        assert.match(e.message, /traffic\.csv:3: t: expected Unix seconds \(got "ten"\)/);
        assert.match(e.message, /traffic\.csv:4: src: empty; value: expected a non-negative decimal number \(got "-1"\)/);
        assert.match(e.message, /traffic\.csv:5: a quoted field is not closed on its line/);
        assert.match(e.message, /traffic\.csv:6: t: 9 comes after rows of t = 10/);
        return true;
      });
      assert.throws(() => readFileSync(join(dir, 'run.json')), /ENOENT/);
    } finally {
      tmp.remove();
    }
  });

  it('refuses to overwrite an existing run', async () => {
    const tmp = makeTempDir();
    try {
      const file = join(tmp.dir, 'traffic.csv');
      writeFileSync(file, 't,src,dst,metric,value\n10,a,b,request_bytes,5\n');
      const dir = writeRunFiles(join(tmp.dir, 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 2, metrics: ['requests'] } });
      await assert.rejects(importMain(['csv', file, '--interval', '2', '--out', dir, '--quiet'], quiet), /--out: .* holds a run already \(choose another --out/);
    } finally {
      tmp.remove();
    }
  });
});
