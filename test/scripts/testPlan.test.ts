import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FILES_PER_SHARED_PROCESS, findTestFiles, planTestProcesses, runsAlone, sharedProcessModule, type PlannedProcess } from '../../scripts/testPlan.mjs';
import { makeTempDir } from '../util.ts';

const tmp = makeTempDir();
after(() => tmp.remove());

const filesOf = (p: PlannedProcess): readonly string[] => ('alone' in p ? [p.alone] : p.shared);

/** `node --test` on one shared process's module of `files` under `root`, reported in TAP. */
function runShared(root: string, files: readonly string[]) {
  const entry = join(root, 'shared.test.mjs');
  writeFileSync(entry, sharedProcessModule(root, files));
  // Without NODE_TEST_CONTEXT, which tells a process that it is a test file's own, not a runner.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return spawnSync(process.execPath, ['--test', '--test-reporter=tap', entry], { encoding: 'utf8', env });
}

describe('which test files share a process (scripts/testPlan.mjs)', () => {
  it('finds every *.test.ts below test/, in subfolders too, but not in fixtures, sorted', () => {
    const root = join(tmp.dir, 'find');
    for (const file of ['test/b/two.test.ts', 'test/a/one.test.ts', 'test/a/deep/three.e2e.test.ts', 'test/fixtures/not.test.ts', 'test/a/helper.ts', 'test/util.ts']) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), '');
    }
    assert.deepEqual(findTestFiles(root), ['test/a/deep/three.e2e.test.ts', 'test/a/one.test.ts', 'test/b/two.test.ts']);
  });

  it('gives each *.e2e.test.ts a process, heaviest first, groups the others by folder in chunks of at most N, and loses or repeats no file', () => {
    const files = [
      ...Array.from({ length: 5 }, (_, i) => `test/detectors/d${i}.test.ts`),
      'test/detectors/ewma/ewma.test.ts',
      'test/detectors/slow.e2e.test.ts',
      'test/cli/c0.test.ts',
      'test/cli/run.e2e.test.ts',
      'test/mesh/m0.e2e.test.ts',
    ];
    const weights: Record<string, number> = { 'test/detectors/slow.e2e.test.ts': 10, 'test/cli/run.e2e.test.ts': 30, 'test/mesh/m0.e2e.test.ts': 20 };
    const plan = planTestProcesses(files, 4, (f) => weights[f] ?? 0);
    // 6 shared files of test/detectors (subfolders included) in chunks of ≤ 4: two chunks of 3.
    assert.deepEqual(plan, [
      { alone: 'test/cli/run.e2e.test.ts' },
      { shared: ['test/detectors/d0.test.ts', 'test/detectors/d1.test.ts', 'test/detectors/d2.test.ts'], name: 'detectors-1' },
      { alone: 'test/mesh/m0.e2e.test.ts' },
      { shared: ['test/detectors/d3.test.ts', 'test/detectors/d4.test.ts', 'test/detectors/ewma/ewma.test.ts'], name: 'detectors-2' },
      { alone: 'test/detectors/slow.e2e.test.ts' },
      { shared: ['test/cli/c0.test.ts'], name: 'cli' },
    ]);
    const planned = plan.flatMap(filesOf);
    assert.deepEqual([...planned].sort(), [...files].sort());
    assert.equal(runsAlone('test/x/y.e2e.test.ts'), true);
    assert.equal(runsAlone('test/x/e2e.test.ts'), false);
    assert.throws(() => planTestProcesses(files, 0), /filesPerProcess must be a whole number ≥ 1, got 0/);
  });

  it("plans the project's own test files once each, this one included, with no shared process over the limit", () => {
    const root = join(import.meta.dirname, '..', '..');
    const files = findTestFiles(root);
    const plan = planTestProcesses(files);
    assert.deepEqual(plan.flatMap(filesOf).sort(), files);
    assert.ok(files.includes('test/scripts/testPlan.test.ts'));
    assert.ok(plan.every((p) => filesOf(p).length <= FILES_PER_SHARED_PROCESS));
  });

  it('a shared process runs every file it names; one that cannot be loaded is one failing test named after it, and the others still run', () => {
    const root = join(tmp.dir, 'run');
    mkdirSync(join(root, 'test', 'a'), { recursive: true });
    writeFileSync(join(root, 'test/a/first.test.mjs'), "import { test } from 'node:test';\ntest('first passes', () => {});\n");
    writeFileSync(join(root, 'test/a/broken.test.mjs'), "import { test } from 'node:test';\ntest('never registered', () => {\n");
    writeFileSync(join(root, 'test/a/last.test.mjs'), "import { test } from 'node:test';\ntest('last passes', () => {});\n");
    const run = runShared(root, ['test/a/first.test.mjs', 'test/a/broken.test.mjs', 'test/a/last.test.mjs']);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^ok \d+ - first passes$/m);
    assert.match(run.stdout, /^ok \d+ - last passes$/m);
    assert.match(run.stdout, /^not ok \d+ - test\/a\/broken\.test\.mjs \(could not be loaded\)$/m);
    assert.match(run.stdout, /^ {2}error: 'Unexpected end of input'$/m);
    assert.match(run.stdout, /^ {2}name: 'SyntaxError'$/m);
    assert.match(run.stdout, /^# pass 2$/m);
    assert.match(run.stdout, /^# fail 1$/m);
  });

  it('every file is evaluated before the first test runs, and the tests run in file order', () => {
    const root = join(tmp.dir, 'order');
    mkdirSync(join(root, 'test'), { recursive: true });
    const file = (name: string) =>
      `import { describe, it } from 'node:test';\nconsole.log('${name} evaluated');\n` +
      `describe('${name}', () => { it('${name} 1', async () => { await new Promise((r) => setTimeout(r, 5)); console.log('${name} 1 ran'); }); it('${name} 2', () => console.log('${name} 2 ran')); });\n`;
    writeFileSync(join(root, 'test/a.test.mjs'), file('a'));
    writeFileSync(join(root, 'test/b.test.mjs'), file('b'));
    const run = runShared(root, ['test/a.test.mjs', 'test/b.test.mjs']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    // What the files printed, in order (the TAP reporter shows it as "# " lines).
    const printed = [...run.stdout.matchAll(/^# ([ab] .*)$/gm)].map((m) => m[1]);
    assert.deepEqual(printed, ['a evaluated', 'b evaluated', 'a 1 ran', 'a 2 ran', 'b 1 ran', 'b 2 ran']);
  });

  it('a test in a shared process cannot replace process.stdout.write, through which the runner reports the tests before it', () => {
    const root = join(tmp.dir, 'stdout');
    mkdirSync(join(root, 'test'), { recursive: true });
    writeFileSync(join(root, 'test/before.test.mjs'), "import { test } from 'node:test';\ntest('finished before', () => {});\n");
    writeFileSync(join(root, 'test/mute.test.mjs'), "import { test } from 'node:test';\ntest('mutes stdout', () => { process.stdout.write = () => true; });\n");
    const run = runShared(root, ['test/before.test.mjs', 'test/mute.test.mjs']);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^ok \d+ - finished before$/m);
    assert.match(run.stdout, /^not ok \d+ - mutes stdout$/m);
    assert.match(run.stdout, /Cannot assign to read only property 'write'/);
  });

  it("fetch in a shared process goes through the project's undici 7, not Node 20's own undici 6", () => {
    const root = join(tmp.dir, 'undici');
    mkdirSync(join(root, 'test'), { recursive: true });
    symlinkSync(join(import.meta.dirname, '..', '..', 'node_modules'), join(root, 'node_modules'));
    writeFileSync(join(root, 'package.json'), '{}');
    writeFileSync(
      join(root, 'test/dispatcher.test.mjs'),
      "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { Agent } from 'undici';\n" +
        "test('undici 7 dispatches', () => { assert.ok(globalThis[Symbol.for('undici.globalDispatcher.1')] instanceof Agent); });\n",
    );
    const run = runShared(root, ['test/dispatcher.test.mjs']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^ok \d+ - undici 7 dispatches$/m);
  });
});
