import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { experimentCommand } from '../../src/cli/experimentCommand.ts';
import { UserError } from '../../src/errors.ts';
import { makeTempDir } from '../util.ts';

// Bug (a tester following README "Writing a detector"): `npm run experiment` with
// `detectors: { plugins: ['./examples/detectors/total-volume.ts'], options: { 'total-volume': { ratio: 4 } } }`
// refused the file: "detectors.plugins: … has not been loaded (load it with loadDetectorPlugins
// before building the detectors)" and "detectors.options.total-volume: unknown detector". The
// experiment checked the parameters before loading the plugins (replay and record loaded them
// first). Now the plugins are loaded first and their options are checked like a built-in's.
const tmp = makeTempDir('munnin-experiment-plugin-');
after(() => tmp.remove());
const PLUGIN = fileURLToPath(new URL('../../examples/detectors/total-volume.ts', import.meta.url));

it("checks a plugin's options like a built-in's, beside the file's other mistakes", async () => {
  const file = join(tmp.dir, 'parameters.ts');
  writeFileSync(
    file,
    `export default { outputDir: ${JSON.stringify(join(tmp.dir, 'out'))}, intervalSeconds: 0, exfiltration: [], detectors: { plugins: [${JSON.stringify(PLUGIN)}], options: { 'total-volume': { ratio: -1 } } } };\n`,
  );
  await assert.rejects(experimentCommand({ parameters: file } as Parameters<typeof experimentCommand>[0]), (e: unknown) => {
    assert.ok(e instanceof UserError, String(e));
    assert.match(e.message, /intervalSeconds/);
    assert.match(e.message, /detectors\.options\.total-volume\.ratio/);
    assert.doesNotMatch(e.message, /has not been loaded|unknown detector/);
    return true;
  });
});
