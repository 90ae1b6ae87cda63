import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportMain } from '../../src/cli/export.ts';
import { UserError } from '../../src/errors.ts';
import { writeFakeReplay } from '../report/fakeReplay.ts';
import { tempDir, writeRun } from '../report/runFixture.ts';

// Bugs found by a tester playing a new researcher (6 Dec):
// - the `run` column carried the run folder's name as is, so a run passed on in a folder named
//   `=1+1` (or `-2+3`, `@SUM(A1)`) put a formula in every row of all four CSV files, where
//   src and dst were neutralised;
// - `--replay <a folder that is not there>` exported no scores without a word, and an earlier
//   export's scores.csv and alerts.csv stayed beside the new traffic.csv as if they were its own;
// - a folder without run.json left an empty export/ behind; a file was "no such run directory".
const dir = tempDir('export-regression');
after(() => rmSync(dir, { recursive: true, force: true }));

function run(path: string): void {
  writeRun(path, { name: 'r', intervalSeconds: 2, metrics: ['request_bytes'], services: ['a', 'b'] }, [
    { t: 1002, dt: 2, edges: [{ src: 'a', dst: 'b', request_bytes: 5 }] },
    { t: 1004, dt: 2, edges: [{ src: 'a', dst: 'b', request_bytes: 6 }] },
  ], []);
}

it('neutralises the run folder name in the run column of every file', async () => {
  const runDir = join(dir, '=1+1');
  run(runDir);
  assert.equal(await exportMain([runDir], () => {}), 0);
  for (const file of ['traffic.csv', 'intervals.csv']) {
    const rows = readFileSync(join(runDir, 'export', file), 'utf8').trim().split('\n').slice(1);
    assert.ok(rows.length > 0);
    for (const row of rows) assert.ok(row.startsWith("'=1+1,"), `${file}: ${row}`);
  }
});

it('refuses a --replay folder that is not there, and never leaves an older export’s scores beside new traffic', async () => {
  const runDir = join(dir, 'plain');
  run(runDir);
  const out = join(dir, 'out');
  writeFakeReplay(runDir, join(runDir, 'replay'), [{ name: 'fake', threshold: 5.5, score: () => 6 }], 0);
  assert.equal(await exportMain([runDir, '--out', out], () => {}), 0);
  assert.ok(existsSync(join(out, 'scores.csv')) && existsSync(join(out, 'alerts.csv')));
  await assert.rejects(exportMain([runDir, '--out', out, '--replay', join(runDir, 'replay', 'typo')], () => {}), (e: unknown) => e instanceof UserError && /--replay .*typo: no such folder/.test(e.message));
  // Without a replay at all, the export has traffic and intervals only: the older scores go.
  rmSync(join(runDir, 'replay'), { recursive: true });
  assert.equal(await exportMain([runDir, '--out', out], () => {}), 0);
  assert.ok(existsSync(join(out, 'traffic.csv')));
  assert.ok(!existsSync(join(out, 'scores.csv')) && !existsSync(join(out, 'alerts.csv')));
});

it('names a folder without run.json and a file for what they are, creating nothing', async () => {
  const notRun = join(dir, 'not-a-run');
  mkdirSync(notRun);
  await assert.rejects(exportMain([notRun], () => {}), (e: unknown) => e instanceof UserError && /not-a-run: not a run directory \(no run\.json in it\)/.test(e.message));
  assert.ok(!existsSync(join(notRun, 'export')));
  const file = join(dir, 'run.json');
  writeFileSync(file, '{}');
  await assert.rejects(exportMain([file], () => {}), (e: unknown) => e instanceof UserError && /run\.json: a file, not a run directory/.test(e.message));
});
