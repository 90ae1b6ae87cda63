import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../util.ts';

const root = join(import.meta.dirname, '..', '..');
const fixture = join(root, 'test', 'fixtures', 'munnin-cybermonday-30k');
const tmp = makeTempDir('munnin-cli-replay-');
after(() => tmp.remove());

function replay(...args: string[]) {
  return replayIn(root, ...args);
}

/** Replay with another working directory (where ./parameters.ts may be absent). */
function replayIn(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(root, 'src', 'cli', 'replay.ts'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The first `intervals` 5 s intervals of the 2018 run (40 s for 8), with `parameters` recorded in run.json. */
function shortRun(name: string, intervals: number, parameters?: unknown): string {
  const dir = join(tmp.dir, name);
  cpSync(fixture, dir, { recursive: true });
  const lines = readFileSync(join(dir, 'snapshots.ndjson'), 'utf8').split('\n').slice(0, intervals);
  writeFileSync(join(dir, 'snapshots.ndjson'), `${lines.join('\n')}\n`);
  if (parameters !== undefined) {
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...run, parameters }));
  }
  return dir;
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
    assert.match(r.stderr, /bad-detector\.ts: invalid parameters:\n\s+detectors\.options\.control-chart\.k: .*\(got -1\)/);
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
    const table = r.stdout.split('\n').filter((l) => /^(detector|control-chart|new-edge)\s/.test(l) && !l.startsWith('detector settings:'));
    assert.equal(table.length, 3);
    assert.ok(table.every((l) => l.length === table[0]!.length), 'aligned columns');
    assert.match(r.stdout, /run cybermonday-i6-r0: 71 intervals \(0 gaps, 11 training\), 60 scored, 5 attack intervals, 3 grace, 5 attacks/);
  });

  it('refuses to score nothing when the training stretch covers the whole run: one line, how to fix it, no results written', () => {
    // ./parameters.ts (the working directory's) trains for 60 s; this run lasts 40 s.
    const dir = shortRun('forty-seconds', 8);
    const out = join(dir, 'replay');
    const r = replay(dir, '--no-report');
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stdout, /^detector settings: parameters\.ts \(found in the working directory/);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.equal(
      lines[0],
      `error: ${dir}: nothing to score: the training stretch (detectors.trainingSeconds 60 s from parameters.ts) covers the whole run (40 s); no results written. Replay with a shorter one, e.g. --training 20`,
    );
    assert.doesNotMatch(r.stdout, /TPR/, 'no table of zeros');
    assert.equal(existsSync(join(out, 'summary.json')), false);
    // The fix it names works.
    const ok = replay(dir, '--no-report', '--quiet', '--training', '20');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^detector settings: parameters\.ts \(found in the working directory.*\), with --training 20$/m);
    // Training: intervals ending ≤ 20 s after the start (the run's t drift by ~1 ms each): +5, +10.005, +15.009.
    assert.match(ok.stdout, /8 intervals \(0 gaps, 3 training\), 5 scored/);
    // Nothing scored because telemetry was never readable: said so, not blamed on training.
    const gaps = shortRun('all-gaps', 8);
    const gapLines = readFileSync(join(gaps, 'snapshots.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.stringify({ ...JSON.parse(l), gap: true, edges: [] }));
    writeFileSync(join(gaps, 'snapshots.ndjson'), `${gapLines.join('\n')}\n`);
    const g = replay(gaps, '--no-report', '--training', '5');
    assert.equal(g.code, 2);
    assert.equal(g.stderr, `error: ${gaps}: every interval is a gap (telemetry unreadable); nothing scored, no results written\n`);
  });

  it('says once where its detector settings came from: --parameters, else ./parameters.ts, else the run’s recorded settings, else the defaults', () => {
    const recorded = shortRun('recorded', 12, { durationSeconds: 60, detectors: { enabled: ['new-edge'], trainingSeconds: 10 } });
    const elsewhere = join(tmp.dir, 'cwd-without-parameters');
    mkdirSync(elsewhere, { recursive: true });
    const r = replayIn(elsewhere, recorded, '--no-report', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('detector settings:')).length, 1, 'printed once');
    assert.match(r.stdout, new RegExp(`^detector settings: recorded with the run \\(${join(recorded, 'run.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`, 'm'));
    const summary = JSON.parse(readFileSync(join(recorded, 'replay', 'summary.json'), 'utf8'));
    assert.deepEqual(Object.keys(summary.detectors), ['new-edge'], 'the recorded detectors ran');
    assert.equal(summary.trainingIntervals, 1, 'the recorded 10 s of training: intervals ending ≤ 10 s after the start (+5; +10.005 is past it)');

    const plain = shortRun('plain', 12);
    const d = replayIn(elsewhere, plain, '--no-report', '--quiet', '--detectors', 'ewma', '--training', '10');
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /^detector settings: defaults \(no parameters\.ts here, none recorded in the run\), with --detectors ewma --training 10$/m);

    const params = join(tmp.dir, 'chosen.ts');
    writeFileSync(params, "export default { detectors: { enabled: ['ewma'], trainingSeconds: 10 } };\n");
    const p = replayIn(elsewhere, recorded, '--no-report', '--quiet', '--parameters', params);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /^detector settings: .*chosen\.ts \(--parameters\)$/m);
  });

  it('validates only what replay uses: an experiment’s fields and their cross-checks do not stop a replay', () => {
    // 20 s of training is longer than this file's durationSeconds (10 s): an experiment would
    // refuse it, a replay of a 60 s run does not care. traffic.usres is for experiments too.
    const params = join(tmp.dir, 'experiment-only-mistakes.ts');
    writeFileSync(params, "export default { durationSeconds: 10, traffic: { usres: 3 }, detectors: { enabled: ['ewma'], trainingSeconds: 20 } };\n");
    const r = replay(shortRun('sixty', 12), '--parameters', params, '--no-report', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /12 intervals \(0 gaps, 3 training\), 9 scored/);
  });

  it('lists every mistake of the detector settings at once, schema and detector options alike', () => {
    const params = join(tmp.dir, 'three-mistakes.ts');
    writeFileSync(params, "export default { detectors: { enabled: ['ewma', 'magic'], trainingSeconds: -1, options: { ewma: { lambda: 2 }, 'control-chart': { k: -1 } } } };\n");
    const r = replay(fixture, '--parameters', params, '--out', join(tmp.dir, 'never'));
    assert.equal(r.code, 2);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^error: .*three-mistakes\.ts: invalid parameters:$/);
    const problems = lines.slice(1).map((l) => l.trim().split(':')[0]).sort();
    assert.deepEqual(problems, ['detectors.enabled[1]', 'detectors.options.control-chart.k', 'detectors.options.ewma.lambda', 'detectors.trainingSeconds']);
    noStack(r.stderr);
  });

  it('adds operating points to the table with --at-fpr; summary.json holds them as read off the ROC of scores.csv', () => {
    const out = join(tmp.dir, 'operating');
    const r = replay(fixture, '--out', out, '--no-report', '--quiet', '--detectors', 'ewma,control-chart', '--at-fpr', '0.1,0.05');
    assert.equal(r.code, 0, r.stderr);
    const header = r.stdout.split('\n').find((l) => /^detector\s+TP\s/.test(l));
    assert.match(header ?? '', /\sthreshold@0\.1\s+TPR@0\.1\s+threshold@0\.05\s+TPR@0\.05$/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const rows = readFileSync(join(out, 'scores.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
    // Seconds after 1500000000 of the attack intervals and the grace intervals (see runReplay.test.ts).
    const attackT = new Set([205, 210, 305, 315, 320]);
    const graceT = new Set([215, 310, 325]);
    for (const name of ['ewma', 'control-chart']) {
      const mine = rows.filter((c) => c[1] === name).map((c) => ({ at: Math.round(Number(c[0]) - 1500000000), score: Number(c[2]) })).filter((x) => !graceT.has(x.at));
      const benign = mine.filter((x) => !attackT.has(x.at)).map((x) => x.score).sort((a, b) => b - a);
      const attack = mine.filter((x) => attackT.has(x.at)).map((x) => x.score);
      assert.equal(attack.length, 5);
      const expected = [0.1, 0.05].map((fpr) => {
        const threshold = benign[Math.floor(fpr * benign.length)]!;
        return { fpr, threshold, tpr: attack.filter((x) => x > threshold).length / 5, achievedFpr: benign.filter((x) => x > threshold).length / benign.length };
      });
      assert.deepEqual(summary.detectors[name].operatingPoints, expected, name);
    }
    const bad = replay(fixture, '--at-fpr', '0.01,2');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: --at-fpr: expected false-alarm rates between 0 and 1, e\.g\. 0\.01,0\.001 \(got "2"\)\n$/);
  });

  it('prints the first 10 bad lines of a file, then one line with their count; summary.json counts them all', () => {
    const dir = shortRun('bad-lines', 24);
    const good = readFileSync(join(dir, 'snapshots.ndjson'), 'utf8');
    // 25 lines without a readable t (skipped), after the good ones; 12 events without a kind.
    writeFileSync(join(dir, 'snapshots.ndjson'), good + '{"t": "soon", "dt": 5, "edges": []}\n'.repeat(25));
    writeFileSync(join(dir, 'events.ndjson'), readFileSync(join(dir, 'events.ndjson'), 'utf8') + '{"kind": "", "start": 1, "end": 2}\n'.repeat(12));
    const r = replay(dir, '--no-report', '--quiet', '--training', '30', '--detectors', 'ewma');
    assert.equal(r.code, 0, r.stderr);
    const snapshotLines = r.stderr.split('\n').filter((l) => l.includes('snapshots.ndjson'));
    // (The run is cut short, so its five attacks fall outside it: that warning is another matter.)
    const eventLines = r.stderr.split('\n').filter((l) => l.includes('events.ndjson') && !l.includes('fall outside the run'));
    assert.equal(snapshotLines.length, 11, r.stderr);
    assert.match(snapshotLines[0]!, /snapshots\.ndjson:25: t: .*line skipped/);
    assert.match(snapshotLines[9]!, /snapshots\.ndjson:34: /);
    assert.match(snapshotLines[10]!, new RegExp(`${join(dir, 'snapshots.ndjson').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 25 bad lines in all \\(the first 10 shown above\\)$`));
    assert.equal(eventLines.length, 11, r.stderr);
    assert.match(eventLines[10]!, /events\.ndjson: 12 bad lines in all \(the first 10 shown above\)$/);
    const summary = JSON.parse(readFileSync(join(dir, 'replay', 'summary.json'), 'utf8'));
    assert.deepEqual(summary.badLines, { snapshots: 25, events: 12 });
    assert.equal(summary.intervals, 24);
  });
});
