// A sweep folder for the dashboard tests: the cybermonday fixture run recorded "twice" (as the
// runs of an exfiltration-size axis; a third planned run not recorded yet), replayed for real
// with two values of ewma's k, so each run holds replay/k=2/ and replay/k=3/ and the folder a
// comparison.json.
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaySweep } from '../../src/sweep/index.ts';
import { FIXTURE_RUNS } from './helpers.ts';

export const SWEEP = {
  name: 'size-sweep',
  runs: ['bytes=30000_r1', 'bytes=60000_r1'],
  pending: 'bytes=90000_r1',
  k: [2, 3],
} as const;

export async function writeFixtureSweep(dataDir: string): Promise<string> {
  const dir = join(dataDir, SWEEP.name);
  for (const run of SWEEP.runs) {
    cpSync(join(FIXTURE_RUNS, 'cybermonday'), join(dir, run), { recursive: true });
    rmSync(join(dir, run, 'replay'), { recursive: true, force: true });
  }
  const index = {
    format: 'munnin-sweep/1',
    name: SWEEP.name,
    createdAt: '2026-11-21T04:00:00.000Z',
    updatedAt: '2026-11-21T05:12:09.000Z',
    repeats: 1,
    axes: [
      { name: 'bytes', path: 'exfiltration[*].bytes', side: 'experiment', values: [30000, 60000, 90000] },
      { name: 'k', path: 'detectors.options.ewma.k', side: 'detector', values: [...SWEEP.k] },
    ],
    base: { detectors: { trainingSeconds: 100 } },
    runs: [
      { name: SWEEP.runs[0], axisValues: { bytes: 30000 }, repeat: 1, status: 'complete' },
      { name: SWEEP.runs[1], axisValues: { bytes: 60000 }, repeat: 1, status: 'complete' },
      { name: SWEEP.pending, axisValues: { bytes: 90000 }, repeat: 1, status: 'pending' },
    ],
  };
  writeFileSync(join(dir, 'sweep.json'), `${JSON.stringify(index, null, 2)}\n`);
  await replaySweep(dir, { progress: false });
  return dir;
}
