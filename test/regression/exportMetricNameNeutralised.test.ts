import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exportMain } from '../../src/cli/export.ts';
import { tempDir, writeRun } from '../report/runFixture.ts';

// Bug: `npm run export` wrote traffic.csv's `metric` column as run.json names it, so a metric
// named like a spreadsheet formula (the run format allows extra metric keys; a CSV import keeps
// an unknown one with a warning) went through to the file, where src, dst, detector and run
// names all carry a leading '. The metric now goes through the same spreadsheetText.
const dir = tempDir('export-metric-name');
after(() => rmSync(dir, { recursive: true, force: true }));

it('neutralises a metric name that a spreadsheet would run as a formula', async () => {
  const runDir = join(dir, 'run');
  const hostile = '=HYPERLINK("http://evil/","click")';
  writeRun(runDir, { name: 'r', intervalSeconds: 2, metrics: [hostile, 'request_bytes'], services: ['a', 'b'] }, [
    { t: 1002, dt: 2, edges: [{ src: 'a', dst: 'b', [hostile]: 5, request_bytes: 7 }] },
  ], []);
  assert.equal(await exportMain([runDir], () => {}), 0);
  const rows = readFileSync(join(runDir, 'export', 'traffic.csv'), 'utf8').trimEnd().split('\n');
  // The ' first, then CSV quoting (the name holds quotes and a comma): its quotes doubled.
  assert.deepEqual(rows, [
    'run,t,src,dst,metric,value',
    `run,1002,a,b,"'=HYPERLINK(""http://evil/"",""click"")",5`,
    'run,1002,a,b,request_bytes,7',
  ]);
});
