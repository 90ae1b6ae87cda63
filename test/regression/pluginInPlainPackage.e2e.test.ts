// Bug: a detector plugin written as the README shows, in a plain package (a package.json
// without "type": "module", what `npm init` writes), was refused by the compiled commands with
// false errors ("name: expected lower-case letters ... (got undefined)", "optionsSchema:
// expected a zod schema", "create: expected a function"). Node treats such a `.ts` file as
// CommonJS; tsx compiles `export default {...}` to `exports.default`, and `import()` hands the
// whole `exports` object over as `default`, so the plugin sat one level deeper
// (`.default.default`) than loadDetectorPlugins looked. It now unwraps a CommonJS namespace as
// bundlers do. Only the compiled command shows it (the tests' own `--import tsx` loads the file
// differently), so the commands are built here into a folder of the test's own, as
// test/cli/build.e2e.test.ts does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../scripts/build.mjs';
import { makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'detectors', 'total-volume.ts');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'munnin-cybermonday-30k');
const tmp = makeTempDir('munnin-plain-plugin-');
const out = mkdtempSync(join(ROOT, '.dist-test-'));
after(() => {
  tmp.remove();
  rmSync(out, { recursive: true, force: true });
});

describe('a detector plugin in a package without "type": "module"', { timeout: 180_000 }, () => {
  before(async () => {
    await build({ outdir: out, quiet: true });
  });

  it('loads with `export default` and with `export const detector`, and runs', () => {
    const pkg = join(tmp.dir, 'myplug');
    cpSync(FIXTURE, join(tmp.dir, 'run'), { recursive: true });
    // The user's folder: `npm init`'s package.json (no "type"), zod installed beside it.
    writeFileSync(join(tmp.dir, 'package.json'), '{}\n'); // a parent that is no module package either
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'tv.ts'), readFileSync(EXAMPLE, 'utf8').replaceAll("'../../src/", `'${ROOT}/src/`));
    writeFileSync(join(pkg, 'named.ts'), "import tv from './tv.ts';\nexport const detector = { ...tv, name: 'tv-named' };\n");
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'myplug', version: '1.0.0', main: 'index.js', license: 'ISC' }, null, 2));
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');

    const args = [join(out, 'cli', 'replay.js'), 'run', '--detectors', 'new-edge', '--detector-module', 'myplug/tv.ts', '--detector-module', 'myplug/named.ts', '--no-report', '--quiet'];
    const r = spawnSync(process.execPath, args, { cwd: tmp.dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /expected|invalid detector plugins/);
    const summary = JSON.parse(readFileSync(join(tmp.dir, 'run', 'replay', 'summary.json'), 'utf8')) as { detectors: Record<string, unknown> };
    assert.deepEqual(Object.keys(summary.detectors), ['new-edge', 'total-volume', 'tv-named']);
    // The two are the same detector under two names: the same counts.
    assert.deepEqual(summary.detectors['tv-named'], summary.detectors['total-volume']);
  });
});
