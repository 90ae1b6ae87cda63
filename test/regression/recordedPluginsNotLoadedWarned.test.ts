// Bug: replaying a run recorded with detector plugins (run.json parameters.detectors.plugins)
// with a parameters file that does not list them (the repository's parameters.ts, found in the
// working directory) dropped those detectors without a word: their rows, whose live alerts the
// user had seen, were simply gone, while a training stretch differing from the recorded one got
// a warning. Replay now warns, naming the plugins run.json records and the --detector-module
// that loads each.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectorSettings } from '../../src/cli/replayCommand.ts';
import { makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PLUGIN = join(ROOT, 'examples', 'detectors', 'total-volume.ts');
const tmp = makeTempDir('munnin-recorded-plugins-');
after(() => tmp.remove());

const run = join(tmp.dir, 'run');
cpSync(join(ROOT, 'test', 'fixtures', 'munnin-cybermonday-30k'), run, { recursive: true });
const manifest = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as Record<string, unknown>;
writeFileSync(join(run, 'run.json'), JSON.stringify({ ...manifest, parameters: { detectors: { trainingSeconds: 100, plugins: [PLUGIN] } } }));
const withoutPlugins = join(tmp.dir, 'plain.ts');
writeFileSync(withoutPlugins, 'export default { detectors: { trainingSeconds: 100 } };\n');
const withPlugin = join(tmp.dir, 'with-plugin.ts');
writeFileSync(withPlugin, `export default { detectors: { trainingSeconds: 100, plugins: [${JSON.stringify(PLUGIN)}] } };\n`);

describe('a run recorded with plugins, replayed with settings that do not load them', () => {
  it('warns, naming the recorded plugin and the flag that loads it', async () => {
    const settings = await detectorSettings(run, withoutPlugins, undefined, undefined);
    assert.equal(settings.detectors.plugins, undefined);
    assert.equal(
      settings.pluginWarning,
      `${settings.origin.replace(/ \(--parameters\)$/, '')}: the run was recorded with detector plugin(s) ${PLUGIN} (${join(run, 'run.json')}, parameters.detectors.plugins), which it does not load: their detectors are not replayed; load them with --detector-module ${PLUGIN} (or list them in detectors.plugins)`,
    );
  });

  it('says nothing when the file or --detector-module loads them', async () => {
    assert.equal((await detectorSettings(run, withPlugin, undefined, undefined)).pluginWarning, undefined);
    assert.equal((await detectorSettings(run, withoutPlugins, undefined, undefined, [PLUGIN])).pluginWarning, undefined);
  });
});
