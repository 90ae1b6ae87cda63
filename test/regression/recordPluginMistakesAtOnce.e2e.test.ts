// Bug: `npm run record` checked the parameters first and loaded the detector plugins only once
// they were good, so a bad parameter (durationSeconds: -5) and a plugin module that cannot be
// loaded were reported one at a time: fixing the first revealed the second. record now loads
// the plugins before checking the parameters, as experiment does, and lists their problems with
// the parameters' own, and with a missing --prometheus-url, in one error (exit 2, no stack trace).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'record.ts');
const tmp = makeTempDir('munnin-record-plugin-mistakes-');
after(() => tmp.remove());

const params = join(tmp.dir, 'params.ts');
writeFileSync(params, `export const parameters = { outputDir: ${JSON.stringify(join(tmp.dir, 'out'))}, durationSeconds: -5, detectors: { plugins: ['./broken.ts'] } };\n`);
const broken = join(tmp.dir, 'broken.ts');
writeFileSync(broken, `throw new Error('broken on purpose');\n`);
const missing = join(tmp.dir, 'nothere.ts');

function record(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, '--parameters', params, '--detector-module', missing, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

describe('npm run record with a bad parameter and plugins that cannot be loaded', { timeout: 120_000 }, () => {
  it('names every mistake in one error, as experiment does', () => {
    const r = record('--prometheus-url', 'http://127.0.0.1:9', '--name', 'nothing');
    assert.equal(r.status, 2, r.stderr);
    assert.equal(
      r.stderr,
      [
        `error: ${relative(ROOT, params)}: invalid parameters:`,
        '  durationSeconds: Too small: expected number to be >0 (got -5)',
        `  detectors.plugins: ${broken}: cannot be loaded: broken on purpose`,
        `  detectors.plugins: ${missing}: no such file (looked for ${missing})`,
        '',
      ].join('\n'),
    );
    assert.equal(existsSync(join(tmp.dir, 'out')), false);
  });

  it('lists a missing --prometheus-url with them', () => {
    const r = record();
    assert.equal(r.status, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], `error: ${relative(ROOT, params)}: invalid parameters:`);
    assert.deepEqual(lines.slice(1).map((l) => l.split(':')[0]!.trim()), ['durationSeconds', 'detectors.plugins', 'detectors.plugins', 'telemetry.prometheus.url']);
    assert.match(lines[4]!, /record needs --prometheus-url <url>/);
  });
});
