// Bug: new-edge's `policyFile: './policy.json'` was read from the working directory, while the
// detector plugins a parameters file names are read from its own folder: run from elsewhere
// (`npm run replay -- run --parameters exp/p.ts`) the policy beside the file was not found, or
// another file of that name was read. A relative path in a detector option that names a file is
// now resolved against the parameters file's folder by every command that reads one (experiment,
// record, replay of a run, a folder or a sweep), and the run records the absolute path it read.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectorSettings } from '../../src/cli/replayCommand.ts';
import { detectorFilesFrom } from '../../src/detectors/index.ts';
import { makeTempDir } from '../util.ts';

describe("new-edge's policyFile is read from the parameters file's folder (regression)", () => {
  it('detectorFilesFrom resolves a relative path against the folder, and leaves everything else as it was', () => {
    const written = { enabled: ['new-edge'], options: { 'new-edge': { policyFile: 'policies/mesh.json', score: 'edges' }, ewma: { k: 3 } } };
    const out = detectorFilesFrom(written, '/srv/exp') as typeof written;
    assert.equal(out.options['new-edge'].policyFile, '/srv/exp/policies/mesh.json');
    assert.equal(out.options['new-edge'].score, 'edges');
    assert.equal(out.options.ewma, written.options.ewma, 'other detectors untouched');
    assert.equal(written.options['new-edge'].policyFile, 'policies/mesh.json', "the user's module is not changed");
    const absolute = { options: { 'new-edge': { policyFile: '/etc/munnin/policy.json' } } };
    assert.equal(detectorFilesFrom(absolute, '/srv/exp'), absolute, 'an absolute path: nothing to change');
    // Not a string, or no options: left for validation to report, as written.
    const wrong = { options: { 'new-edge': { policyFile: 7 } } };
    assert.equal(detectorFilesFrom(wrong, '/srv/exp'), wrong);
    assert.equal(detectorFilesFrom(undefined, '/srv/exp'), undefined);
    assert.equal(detectorFilesFrom('nonsense', '/srv/exp'), 'nonsense');
  });

  it("replay with --parameters from another folder reads the policy beside the file", async () => {
    const tmp = makeTempDir('munnin-policy-folder-');
    try {
      const exp = join(tmp.dir, 'exp');
      mkdirSync(exp);
      writeFileSync(join(exp, 'policy.json'), JSON.stringify([{ src: 'external', dst: 'front-end' }]));
      writeFileSync(join(exp, 'p.ts'), "export const parameters = { detectors: { enabled: ['new-edge'], options: { 'new-edge': { policyFile: './policy.json' } } } };\n");
      // The working directory (the project's) holds no policy.json: before, this read ./policy.json there and failed.
      const settings = await detectorSettings(undefined, join(exp, 'p.ts'), undefined, undefined);
      assert.equal(settings.detectors.options['new-edge']?.['policyFile'], join(exp, 'policy.json'));
    } finally {
      tmp.remove();
    }
  });
});
