// A TypeScript parameters module is bundled to JavaScript once and kept while its files are
// unchanged (the commands then import it without tsx); a module esbuild cannot bundle is left
// to tsx, whose messages users know.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compiledModuleUrl, compileTypeScriptModule } from '../../src/config/compiledModule.ts';
import { makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-compiled-');
after(() => tmp.remove());

test('compileTypeScriptModule: bundles a module and what it imports, keeps it while they are unchanged, makes it again when one changes', async () => {
  const cache = join(tmp.dir, 'cache');
  const params = join(tmp.dir, 'params.ts');
  const helper = join(tmp.dir, 'helper.ts');
  writeFileSync(helper, 'export const users: number = 12;\n');
  writeFileSync(params, "import { users } from './helper.ts';\nconst seconds: number = 150;\nexport const parameters = { durationSeconds: seconds, traffic: { users } };\n");
  assert.equal(compiledModuleUrl(params), undefined);
  assert.equal(await compileTypeScriptModule(params, cache), true);
  const url = compiledModuleUrl(params)!;
  assert.match(url, /^file:.*\.mjs\?/);
  assert.deepEqual(((await import(url)) as { parameters: unknown }).parameters, { durationSeconds: 150, traffic: { users: 12 } });
  // The bundle is plain JavaScript: no TypeScript left in it.
  const bundle = new URL(url).pathname;
  assert.doesNotMatch(readFileSync(bundle, 'utf8'), /: number/);

  // Unchanged: the kept bundle, not made again.
  const made = statSync(bundle).mtimeMs;
  assert.equal(await compileTypeScriptModule(params, cache), true);
  assert.equal(statSync(bundle).mtimeMs, made);
  assert.equal(compiledModuleUrl(params), url);

  // An imported file changes: made again, and the new value is what is imported.
  writeFileSync(helper, 'export const users: number = 1200;\n');
  assert.equal(await compileTypeScriptModule(params, cache), true);
  const again = compiledModuleUrl(params)!;
  assert.deepEqual(((await import(again)) as { parameters: unknown }).parameters, { durationSeconds: 150, traffic: { users: 1200 } });
});

test('compileTypeScriptModule: a module esbuild cannot bundle (a syntax error, an import of nothing) is not kept: the caller uses tsx', async () => {
  const cache = join(tmp.dir, 'cache-bad');
  const broken = join(tmp.dir, 'broken.ts');
  writeFileSync(broken, 'export const parameters = { durationSeconds: };\n');
  assert.equal(await compileTypeScriptModule(broken, cache), false);
  assert.equal(compiledModuleUrl(broken), undefined);
  const missing = join(tmp.dir, 'missing.ts');
  writeFileSync(missing, "import { x } from './nowhere.ts';\nexport const parameters = { x };\n");
  assert.equal(await compileTypeScriptModule(missing, cache), false);
  assert.equal(compiledModuleUrl(missing), undefined);
});

test('compileTypeScriptModule: a kept bundle unused for a week is removed when another is made; one in use is kept', async () => {
  const cache = join(tmp.dir, 'cache-prune');
  const old = join(tmp.dir, 'old.ts');
  const used = join(tmp.dir, 'used.ts');
  const fresh = join(tmp.dir, 'fresh.ts');
  for (const f of [old, used, fresh]) writeFileSync(f, 'export const parameters = { durationSeconds: 60 };\n');
  assert.equal(await compileTypeScriptModule(old, cache), true);
  assert.equal(await compileTypeScriptModule(used, cache), true);
  const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
  for (const name of readdirSync(cache)) utimesSync(join(cache, name), eightDaysAgo, eightDaysAgo);
  const oldBundle = new URL(compiledModuleUrl(old)!).pathname;
  // Using `used` again marks it as used now.
  assert.equal(await compileTypeScriptModule(used, cache), true);
  assert.equal(await compileTypeScriptModule(fresh, cache), true);
  const left = readdirSync(cache).sort();
  assert.equal(left.length, 4, left.join(' '));
  assert.ok(!left.includes(oldBundle.split('/').pop()!), 'the unused bundle is gone');
  assert.ok(left.includes(new URL(compiledModuleUrl(used)!).pathname.split('/').pop()!));
});

test('compileTypeScriptModule: a bundle removed behind its manifest is made again, not a crash', async () => {
  const cache = join(tmp.dir, 'cache-gone');
  const params = join(tmp.dir, 'gone.ts');
  writeFileSync(params, 'export const parameters = { durationSeconds: 30 };\n');
  assert.equal(await compileTypeScriptModule(params, cache), true);
  const bundle = new URL(compiledModuleUrl(params)!).pathname;
  rmSync(bundle);
  assert.equal(await compileTypeScriptModule(params, cache), true);
  assert.deepEqual(((await import(compiledModuleUrl(params)!)) as { parameters: unknown }).parameters, { durationSeconds: 30 });
});
