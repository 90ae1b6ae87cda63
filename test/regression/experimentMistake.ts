import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'experiment.ts');

/**
 * `npm run experiment -- --parameters <dir>/<name> <flags>` with `parameters` (the object
 * literal's fields, as text) as that file, expected to stop at a user mistake: exit 2, no stack
 * trace. Were a check to regress, no real cluster of this machine's is reached: KUBECONFIG names
 * a file that does not exist.
 */
export function experimentMistake(dir: string, name: string, parameters: string, ...flags: string[]): { readonly file: string; readonly stderr: string } {
  const file = join(dir, name);
  writeFileSync(file, `export const parameters = { ${parameters} };\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--parameters', file, ...flags], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, KUBECONFIG: join(dir, 'no-such-kubeconfig') },
  });
  assert.equal(r.status, 2, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return { file, stderr: r.stderr };
}
