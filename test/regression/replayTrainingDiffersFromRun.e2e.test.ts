// Bug (tester E, defect 7): replaying a run made with --parameters (40 s of training) from a
// folder holding ./parameters.ts (60 s) trained for 60 s without a word: the run's 200 kB
// exfiltration at +56 s fell into training, and every volume detector showed it missed,
// although the live run had alerted on it. Replay now warns when a parameters file's training
// differs from the one run.json records, and, whatever the training's origin, about each
// recorded attack that starts inside this replay's training stretch (as for --inject windows).
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../util.ts';

const root = join(import.meta.dirname, '..', '..');
const tmp = makeTempDir('munnin-replay-training-');
after(() => tmp.remove());

function replay(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(root, 'src', 'cli', 'replay.ts'), ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

it('warns that the file trains longer than the run did, and names the recorded attack that falls in training', () => {
  // 12 intervals of 5 s of the 2018 fixture: the run starts at 1500000000.005 (first t 1500000005.005 − dt 5).
  const run = join(tmp.dir, 'run');
  cpSync(join(root, 'test', 'fixtures', 'munnin-cybermonday-30k'), run, { recursive: true });
  const lines = readFileSync(join(run, 'snapshots.ndjson'), 'utf8').split('\n').slice(0, 12);
  writeFileSync(join(run, 'snapshots.ndjson'), `${lines.join('\n')}\n`);
  const manifest = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
  writeFileSync(join(run, 'run.json'), JSON.stringify({ ...manifest, parameters: { detectors: { trainingSeconds: 20 } } }));
  // An exfiltration at +25.095 s (inside 40 s of training, after 20) and a scan at +45.095 s (after both).
  writeFileSync(
    join(run, 'events.ndjson'),
    `${JSON.stringify({ kind: 'exfiltration', start: 1500000025.1, end: 1500000026.1, path: ['user', 'external'], bytes: 200000 })}\n` +
      `${JSON.stringify({ kind: 'scan', start: 1500000045.1, end: 1500000045.6, path: ['user', '*'] })}\n`,
  );
  const params = join(tmp.dir, 'longer.ts');
  writeFileSync(params, "export default { detectors: { enabled: ['new-edge'], trainingSeconds: 40 } };\n");

  const r = replay(run, '--parameters', params, '--no-report', '--quiet');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /longer\.ts: detectors\.trainingSeconds is 40 s, but the run was recorded training 20 s \(.*run\.json, parameters\.detectors\.trainingSeconds\): .*replay with --training 20/);
  assert.match(r.stderr, /events\.ndjson: 1 of 2 attack\(s\) start inside this replay's training stretch \(the first 40 s\): exfiltration at \+25\.095 s; the detectors train on that traffic/);

  // Trained as the run did: neither warning.
  const same = replay(run, '--parameters', params, '--training', '20', '--no-report', '--quiet');
  assert.equal(same.code, 0, same.stderr);
  assert.doesNotMatch(same.stderr, /training/, same.stderr);
});
