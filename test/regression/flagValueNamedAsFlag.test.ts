// Bug (tester G, defect 6): `npm run experiment -- --duration -5` said "parameters.ts: invalid
// parameters: durationSeconds: Too small ... (got -5)", though parameters.ts says 150: the
// value came from the flag, which the message never named. `--interval 0` printed two lines
// for its one mistake (zod's positive() and the 0.25 s minimum). A parameter mistake in a value
// a flag set is now named after the flag, said as a command-line mistake when it is the only
// kind, and the interval's check is one.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { experimentCommand } from '../../src/cli/experimentCommand.ts';
import { UserError } from '../../src/errors.ts';
import { makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-flag-value-');
after(() => tmp.remove());
const file = join(tmp.dir, 'p.ts');
writeFileSync(file, `export default { outputDir: ${JSON.stringify(join(tmp.dir, 'out'))}, durationSeconds: 150 };\n`);
const INTERVAL = 'must be at least 0.25 s: every interval reads all telemetry once, and shorter ones end before that read does (nothing would be recorded)';

async function mistake(values: Record<string, unknown>): Promise<string> {
  try {
    await experimentCommand({ parameters: file, ...values } as Parameters<typeof experimentCommand>[0]);
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    return e.message;
  }
  assert.fail('expected a UserError');
}

describe('a flag value the parameters refuse', () => {
  it('is named after the flag, not the file', async () => {
    assert.equal(await mistake({ duration: '-5' }), '--duration: Too small: expected number to be >0 (got -5)');
  });

  it('is one line for one mistake', async () => {
    assert.equal(await mistake({ interval: '0' }), `--interval: ${INTERVAL} (got 0)`);
    assert.equal(await mistake({ interval: '0', duration: '0' }), `2 problems with the command line:\n  --duration: Too small: expected number to be >0 (got 0)\n  --interval: ${INTERVAL} (got 0)`);
  });

  it('is listed after the file\'s own mistakes, under a heading naming both', async () => {
    writeFileSync(join(tmp.dir, 'q.ts'), 'export default { traffic: { users: -3 } };\n');
    const message = await mistake({ parameters: join(tmp.dir, 'q.ts'), interval: '0' });
    assert.match(message, /q\.ts and the command line: invalid parameters:\n {2}traffic\.users: Too small: expected number to be >0 \(got -3\)\n {2}--interval: must be at least 0\.25 s/);
  });
});

describe('npm run record, whose flags are applied over parameters.ts the same way', () => {
  it('names the flag too', { timeout: 60_000 }, () => {
    const ROOT = join(import.meta.dirname, '..', '..');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'record.ts'), '--parameters', file, '--duration', '-5', '--prometheus-url', 'http://127.0.0.1:9'], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, 'error: --duration: Too small: expected number to be >0 (got -5)\n');
  });
});
