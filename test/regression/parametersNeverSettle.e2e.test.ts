import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { makeTempDir } from '../util.ts';

// Bug: a parameters module that never settled (`await new Promise(() => {})`) made experiment
// and replay exit 0 with no output and nothing done. Now loading has a time limit and a clear
// message, and the command fails (exit 2).
const REPLAY = fileURLToPath(new URL('../../src/cli/replay.ts', import.meta.url));
const RUN = fileURLToPath(new URL('../fixtures/munnin-cybermonday-30k', import.meta.url));

it('a parameters module that never finishes loading is a user error after the time limit', async () => {
  const tmp = makeTempDir('munnin-never-');
  try {
    const file = join(tmp.dir, 'parameters.ts');
    // An ES module, as parameters.ts is in the project (top-level await needs one).
    writeFileSync(join(tmp.dir, 'package.json'), '{"type": "module"}\n');
    writeFileSync(file, 'await new Promise(() => {});\nexport default {};\n');
    const started = Date.now();
    await assert.rejects(loadParameters(file, { timeoutMillis: 300 }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `${file}: did not finish loading within 0.3 s (does it await something that never comes, such as a promise never resolved or a server that does not answer?)`);
      return true;
    });
    assert.ok(Date.now() - started >= 290);
  } finally {
    tmp.remove();
  }
});

it('the replay command with such a module fails with that message, not exit 0 with nothing done', { timeout: 60_000 }, () => {
  const tmp = makeTempDir('munnin-never-cli-');
  try {
    const file = join(tmp.dir, 'parameters.ts');
    // An ES module, as parameters.ts is in the project (top-level await needs one).
    writeFileSync(join(tmp.dir, 'package.json'), '{"type": "module"}\n');
    writeFileSync(file, 'await new Promise(() => {});\nexport default {};\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', REPLAY, RUN, '--parameters', file, '--out', join(tmp.dir, 'out'), '--quiet'], { encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^error: .*parameters\.ts: did not finish loading within 10 s/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    tmp.remove();
  }
});
