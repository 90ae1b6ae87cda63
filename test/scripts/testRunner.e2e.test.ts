import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// scripts/test.mjs, npm test's runner, run as npm test runs it (a nested test run: without
// NODE_TEST_CONTEXT, which would tell it that it is a test file's own process).
const root = join(import.meta.dirname, '..', '..');
const { NODE_TEST_CONTEXT: _, ...env } = process.env;
const runner = (...args: string[]) => spawnSync(process.execPath, ['scripts/test.mjs', '--test-reporter=tap', ...args], { cwd: root, encoding: 'utf8', env });

describe('npm test runner (scripts/test.mjs)', () => {
  it('runs the files under a path given, shared, with flags passed on to node --test, and exits with its status', () => {
    const run = runner('test/attacks', '--test-name-pattern=attackProblems');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^ok \d+ - attackProblems$/m);
    // Both files of the folder ran; the name pattern reached node --test: the
    // tests it leaves out were skipped.
    assert.match(run.stdout, /^ok \d+ - scheduleAttacks in virtual time$/m);
    assert.match(run.stdout, /^# skipped [1-9]\d*$/m);
    assert.match(run.stdout, /^# fail 0$/m);
  });

  it('a path without test files is an error naming it', () => {
    const run = runner('test/no-such-folder');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^No test files under test\/no-such-folder\.$/m);
  });
});
