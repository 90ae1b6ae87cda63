import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../util.ts';

const root = join(import.meta.dirname, '..', '..');
const fixture = join(root, 'test', 'fixtures', 'munnin-cybermonday-30k');
const tmp = makeTempDir('munnin-cli-replay-');
after(() => tmp.remove());

function replay(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'replay.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (stderr: string) => assert.doesNotMatch(stderr, /^\s+at /m, `no stack trace in:\n${stderr}`);

describe('npm run replay', () => {
  it('says the run directory does not exist, without a stack trace (exit 2)', () => {
    const r = replay(join(tmp.dir, 'no-such-run'));
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `error: ${join(tmp.dir, 'no-such-run')}: no such run directory\n`);
    noStack(r.stderr);
  });

  it('names run.json and the field when the manifest is wrong', () => {
    const dir = join(tmp.dir, 'bad-manifest');
    cpSync(fixture, dir, { recursive: true });
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 'munnin-run/0', intervalSeconds: 5, metrics: ['tcp_sent_bytes'] }));
    const r = replay(dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `error: ${join(dir, 'run.json')}: format: expected "munnin-run/1" (got "munnin-run/0")\n`);
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 'munnin-run/1', metrics: ['tcp_sent_bytes'] }));
    const r2 = replay(dir);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /^error: .*run\.json: intervalSeconds: missing/);
    noStack(r2.stderr);
  });

  it('rejects a bad flag with its name, and prints --help', () => {
    const r = replay(fixture, '--inject', '5000@ten-twenty');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --inject: expected <bytes per interval>@<start>-<end>/);
    noStack(r.stderr);
    const help = replay('--help');
    assert.equal(help.code, 0);
    for (const flag of ['--out', '--detectors', '--training', '--speed', '--inject ', '--inject-path', '--parameters', '--help']) assert.ok(help.stdout.includes(flag), flag);
  });

  it('names the parameters file and the field of a bad detector option', () => {
    const params = join(tmp.dir, 'bad-detector.ts');
    writeFileSync(params, "export default { detectors: { options: { 'control-chart': { k: -1 } } } };\n");
    const r = replay(fixture, '--parameters', params, '--out', join(tmp.dir, 'never'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad-detector\.ts: invalid detector parameters:\n\s+detectors\.options\.control-chart\.k: .*\(got -1\)/);
    assert.equal(existsSync(join(tmp.dir, 'never')), false);
    noStack(r.stderr);
  });

  it('replays a run killed mid-write with a corrupt line: reports file:line, goes on, writes the results and the table', () => {
    const dir = join(tmp.dir, 'damaged');
    cpSync(fixture, dir, { recursive: true });
    const lines = readFileSync(join(dir, 'snapshots.ndjson'), 'utf8').split('\n');
    lines[29] = lines[29]!.slice(0, 100); // line 30 broken in the middle
    writeFileSync(join(dir, 'snapshots.ndjson'), `${lines.slice(0, 72).join('\n')}\n${'{"t": 1500000365.3, "dt": 5, "edges": [{"src": "user", "d'}`);
    const params = join(tmp.dir, 'params.ts');
    writeFileSync(params, 'export default { detectors: { trainingSeconds: 60 } };\n');
    const out = join(tmp.dir, 'damaged-out');
    const r = replay(dir, '--out', out, '--detectors', 'control-chart,new-edge', '--parameters', params, '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /snapshots\.ndjson:30: not valid JSON .*line skipped/);
    assert.match(r.stderr, /snapshots\.ndjson:73: last line is incomplete/);
    noStack(r.stderr);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.equal(summary.intervals, 71);
    assert.deepEqual(Object.keys(summary.detectors), ['control-chart', 'new-edge']);
    assert.ok(existsSync(join(out, 'scores.csv')) && existsSync(join(out, 'alerts.ndjson')));
    const table = r.stdout.split('\n').filter((l) => /^(detector|control-chart|new-edge)\s/.test(l));
    assert.equal(table.length, 3);
    assert.ok(table.every((l) => l.length === table[0]!.length), 'aligned columns');
    assert.match(r.stdout, /run cybermonday-i6-r0: 71 intervals \(0 gaps, 11 training\), 60 scored, 5 attack intervals, 3 grace, 5 attacks/);
  });
});
