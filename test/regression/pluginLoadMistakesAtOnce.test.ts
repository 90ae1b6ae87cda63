// Bug: a detector plugin that could not be loaded (no such file, no detector exported, a
// built-in's name, a syntax error) was reported alone, as "error: invalid detector plugins:",
// without the parameters file's name, and every other mistake of the file waited for the next
// try (README: "every mistake is listed at once"). The plugins are still loaded before the
// parameters are checked (their options are checked like a built-in's), but their problems are
// now listed with the file's own mistakes under its name, in replay and in experiment.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { experimentCommand } from '../../src/cli/experimentCommand.ts';
import { detectorSettings } from '../../src/cli/replayCommand.ts';
import { UserError } from '../../src/errors.ts';
import { makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const RUN = join(ROOT, 'test', 'fixtures', 'munnin-cybermonday-30k');
const tmp = makeTempDir('munnin-plugin-mistakes-');
after(() => tmp.remove());

async function message(promise: Promise<unknown>): Promise<string> {
  const e = await promise.then(() => assert.fail('should be refused'), (x: unknown) => x);
  assert.ok(e instanceof UserError, String(e));
  return e.message;
}

describe('a plugin that cannot be loaded, beside other mistakes', () => {
  it('replay lists it with the detector settings\' mistakes, under the parameters file', async () => {
    const file = join(tmp.dir, 'p.ts');
    writeFileSync(file, `export default { detectors: { trainingSeconds: -5, plugins: ['./nothere.ts'], options: { ewma: { k: -1 } } } };\n`);
    const text = await message(detectorSettings(RUN, file, undefined, undefined));
    const missing = join(tmp.dir, 'nothere.ts');
    assert.equal(
      text.replace(/^.*?: invalid parameters:/, 'FILE: invalid parameters:'),
      [
        'FILE: invalid parameters:',
        '  detectors.trainingSeconds: Too small: expected number to be >=0 (got -5)',
        `  detectors.plugins: ${missing}: no such file (looked for ${missing})`,
        '  detectors.options.ewma.k: Too small: expected number to be >0 (got -1)',
      ].join('\n'),
    );
    assert.match(text, /p\.ts: invalid parameters:/);
  });

  it('experiment lists it with the file\'s other mistakes', async () => {
    const file = join(tmp.dir, 'parameters.ts');
    writeFileSync(file, `export default { outputDir: ${JSON.stringify(join(tmp.dir, 'out'))}, intervalSeconds: 0, exfiltration: [], detectors: { plugins: ['./nothere.ts'], options: { ewma: { k: -1 } } } };\n`);
    const text = await message(experimentCommand({ parameters: file } as Parameters<typeof experimentCommand>[0]));
    assert.match(text, /^.*parameters\.ts: invalid parameters:\n/);
    assert.match(text, /\n  intervalSeconds: /);
    assert.match(text, /\n  detectors\.plugins: .*nothere\.ts: no such file/);
    assert.match(text, /\n  detectors\.options\.ewma\.k: Too small: expected number to be >0 \(got -1\)/);
    assert.doesNotMatch(text, /has not been loaded/);
  });
});
