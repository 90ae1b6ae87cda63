import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'experiment.ts');

// Bug: a parameters file with four mistakes needed three fix-and-rerun rounds, though the README
// promises every mistake at once: the schema's problems first, the checks across fields only
// once the schema passed, the detectors' options only once both had.
it('lists four mistakes found by three stages (schema, across fields, detector options) in one go', () => {
  const tmp = makeTempDir('munnin-mistakes-');
  try {
    // A misspelt field and a bad value (schema), an exfiltration after the end (across fields),
    // a detector option out of range (the detector's own check).
    const file = join(tmp.dir, 'params.ts');
    writeFileSync(
      file,
      `export const parameters = { outputDir: ${JSON.stringify(tmp.dir)}, durationSeconds: 100, traffic: { usres: 3, shape: 'sawtooth' }, exfiltration: [{ atSeconds: 120, bytes: 1000, method: 'api' }], detectors: { options: { ewma: { lambda: 2 } } } };\n`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--parameters', file], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /params\.ts: invalid parameters:$/);
    assert.deepEqual(lines.slice(1).map((l) => l.trim().split(':')[0]).sort(), ['detectors.options.ewma.lambda', 'exfiltration[0].atSeconds', 'traffic.shape', 'traffic.usres']);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(readdirSync(tmp.dir), ['params.ts'], 'nothing was started or written');
  } finally {
    tmp.remove();
  }
});
