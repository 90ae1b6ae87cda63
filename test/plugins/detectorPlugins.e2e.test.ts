import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { resolveParameters } from '../../src/config/index.ts';
import { createDetectors, DETECTOR_NAMES } from '../../src/detectors/index.ts';
import { UserError } from '../../src/errors.ts';
import { loadDetectorPlugins, withDetectorPlugins } from '../../src/plugins/index.ts';
import { detectLive, runReplay } from '../../src/replay/index.ts';
import { writeReport } from '../../src/report/index.ts';
import { captureLog, handSnapshots, judgeSnapshots, makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'detectors', 'total-volume.ts');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'munnin-cybermonday-30k');

/** Detector settings running only the example plugin, with its options. */
async function exampleOnly(options: Record<string, unknown>, trainingSeconds: number) {
  const detectors = resolveParameters({ detectors: { enabled: [], trainingSeconds, plugins: [EXAMPLE], options: { 'total-volume': options } } }).detectors;
  return withDetectorPlugins(detectors, ROOT);
}

describe('detector plugins', () => {
  it('the example detector scores as its definition says (by hand), learns nothing from alarms, skips gaps', async () => {
    const config = await exampleOnly({ windowIntervals: 2, ratio: 3 }, 3);
    const [detector] = createDetectors(config);
    assert.equal(detector?.name, 'total-volume');
    const snapshots = handSnapshots([
      { 'a>b': { response_bytes: 1500 }, 'c>d': { request_bytes: 500 } }, // training: 2000
      { 'a>b': { response_bytes: 1500 }, 'c>d': { request_bytes: 500 } }, // training: 2000
      { 'a>b': { response_bytes: 1500 }, 'c>d': { request_bytes: 500 } }, // training: 2000
      { 'a>b': { response_bytes: 1800 }, 'c>d': { request_bytes: 600, requests: 99 } }, // 2400 / median(2000, 2000)
      { 'a>b': { response_bytes: 9000 }, 'c>d': { request_bytes: 1000 } }, // 10000 / median(2000, 2400) = 2200
      'gap',
      { 'a>b': { response_bytes: 3400 }, 'c>d': { request_bytes: 1000 } }, // after the gap, holding its traffic too: not judged, not learnt
      { 'a>b': { response_bytes: 1700 }, 'c>d': { request_bytes: 500 } }, // 2200 / 2200: the alarm was not learnt
    ]);
    const verdicts = judgeSnapshots(snapshots, detector!.operator);
    assert.deepEqual(verdicts.map((v) => v.training), [true, true, true, false, false, false, false, false]);
    assert.deepEqual(verdicts.map((v) => v.gap), [false, false, false, false, false, true, false, false]);
    const scores = verdicts.map((v) => v.score);
    assert.ok(scores.slice(0, 3).every(Number.isNaN) && Number.isNaN(scores[5]) && Number.isNaN(scores[6]));
    assert.equal(scores[3], 2400 / 2000);
    assert.equal(scores[4], 10000 / 2200);
    assert.equal(scores[7], 2200 / 2200);
    assert.deepEqual(verdicts.map((v) => v.alarm), [false, false, false, false, true, false, false, false]);
    assert.deepEqual(verdicts[4]!.blamed, [{ src: 'a', dst: 'b', score: 9000 / 2200 }, { src: 'c', dst: 'd', score: 1000 / 2200 }]);
    assert.equal(verdicts[4]!.threshold, 3);
  });

  it('checks a plugin\'s options like a built-in\'s, every problem named by field', async () => {
    const config = await exampleOnly({ ratio: -1, windw: 3 }, 60);
    assert.throws(
      () => createDetectors(config, 'params.ts'),
      (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, /^params\.ts: invalid detector parameters:/);
        assert.match(e.message, /detectors\.options\.total-volume\.ratio: .*\(got -1\)/);
        assert.match(e.message, /detectors\.options\.total-volume\.windw: unknown option/);
        return true;
      },
    );
    // Options of a plugin that is not loaded are an unknown detector's, as for a misspelt built-in.
    const without = resolveParameters({ detectors: { options: { 'total-volume': {} } } }).detectors;
    assert.throws(() => createDetectors(without), /detectors\.options\.total-volume: unknown detector "total-volume"/);
  });

  it('refuses modules that are not detectors, or take a taken name, all at once, naming each file', async () => {
    const tmp = makeTempDir();
    try {
      const module = (name: string, body: string) => {
        const file = join(tmp.dir, name);
        writeFileSync(file, body);
        return file;
      };
      const clash = module('clash.ts', "export default { name: 'ewma', optionsSchema: { safeParse() {} }, create() {} };\n");
      const empty = module('empty.ts', 'export const x = 1;\n');
      const bad = module('bad.ts', "export default { name: 'Bad Name', create: 3 };\n");
      const twice = module('twice.ts', `export { default } from ${JSON.stringify(EXAMPLE)};\n`);
      await assert.rejects(loadDetectorPlugins([clash, empty, bad, join(tmp.dir, 'missing.ts'), EXAMPLE, twice], tmp.dir, DETECTOR_NAMES), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, /clash\.ts: name "ewma" is a built-in detector's/);
        assert.match(e.message, /empty\.ts: exports no detector/);
        assert.match(e.message, /bad\.ts: name: expected lower-case letters, digits and dashes \(got "Bad Name"\)/);
        assert.match(e.message, /bad\.ts: optionsSchema: expected a zod schema/);
        assert.match(e.message, /bad\.ts: create: expected a function/);
        assert.match(e.message, /missing\.ts: no such file/);
        assert.match(e.message, /twice\.ts: name "total-volume" is also the name of .*total-volume\.ts/);
        return true;
      });
    } finally {
      tmp.remove();
    }
  });

  it('runs live (the experiment\'s composition) and in replay, listed in summary.json and the report', async () => {
    const config = await exampleOnly({}, 60);
    const withBuiltIn = { ...config, enabled: ['ewma' as const] };
    // Live: the composition runExperiment and recordMesh subscribe to.
    const live = await lastValueFrom(from(handSnapshots(Array.from({ length: 70 }, (_, i) => ({ 'a>b': { response_bytes: i === 65 ? 50_000 : 2000 } })))).pipe(detectLive(withBuiltIn), toArray()));
    assert.deepEqual([...new Set(live.map((v) => v.detector))], ['ewma', 'total-volume']);
    assert.deepEqual(live.filter((v) => v.detector === 'total-volume' && v.alarm).map((v) => v.t), [66]);

    const tmp = makeTempDir();
    const log = captureLog();
    try {
      const run = join(tmp.dir, 'run');
      cpSync(FIXTURE, run, { recursive: true });
      const outDir = join(run, 'replay');
      const { summary } = await runReplay(run, { outDir, detectors: withBuiltIn });
      assert.deepEqual(Object.keys(summary.detectors), ['ewma', 'total-volume']);
      const written = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as { detectors: Record<string, { tp: number; fp: number; tn: number; fn: number }> };
      const tv = written.detectors['total-volume']!;
      // Grace intervals (run format: the one right after an attack) are scored but left out of the counts.
      assert.equal(tv.tp + tv.fp + tv.tn + tv.fn + summary.graceIntervals, summary.scoredIntervals);
      const { htmlPath } = await writeReport({ runDir: run, replayDir: outDir, progress: false });
      assert.match(readFileSync(htmlPath, 'utf8'), /total-volume/);
    } finally {
      log.restore();
      tmp.remove();
    }
  });

  it('npm run replay: detectors.plugins relative to the parameters file, --detector-module relative to the working directory', { timeout: 60_000 }, () => {
    const tmp = makeTempDir();
    try {
      const run = join(tmp.dir, 'run');
      cpSync(FIXTURE, run, { recursive: true });
      const params = join(tmp.dir, 'params.ts');
      writeFileSync(params, `export const parameters = { detectors: { enabled: ['new-edge'], plugins: [${JSON.stringify(relative(tmp.dir, EXAMPLE))}] } };\n`);
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'replay.ts'), run, '--parameters', params, '--no-report', '--quiet'], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /\ntotal-volume +\d/);
      const bad = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'replay.ts'), run, '--detector-module', 'no/such-detector.ts', '--no-report'], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, new RegExp(`no/such-detector\\.ts: no such file \\(looked for ${resolve(ROOT, 'no/such-detector.ts').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)`));
      assert.doesNotMatch(bad.stderr, /\n\s+at /);
    } finally {
      tmp.remove();
    }
  });
});
