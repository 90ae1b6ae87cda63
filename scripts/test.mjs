// `npm test`'s test run: every test file under test/ through Node's test runner under tsx, three
// processes at a time, with the files that need no process of their own sharing one
// (scripts/testPlan.mjs says which and why). Arguments starting with `--` go to `node --test`
// (e.g. `--test-name-pattern=eigenspace`); others restrict the run to files under those paths
// (`node scripts/test.mjs test/detectors`). Exits with the test runner's status.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FILES_PER_SHARED_PROCESS, findTestFiles, planTestProcesses, sharedProcessModule } from './testPlan.mjs';

/**
 * Test processes at a time. Three on 2 cores: the processes of their own spend most of their
 * time waiting on the programs they started (the run used 1.4 cores at two or three at a time),
 * and three took 8.0 minutes where two took 9.1.
 */
const CONCURRENCY = 3;

// The project's folder (not build.mjs's ROOT: importing it would load esbuild for nothing).
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const paths = args.filter((a) => !a.startsWith('--')).map((p) => relative(ROOT, resolve(p)));
const files = findTestFiles(ROOT).filter((f) => paths.length === 0 || paths.some((p) => f === p || f.startsWith(`${p}/`)));
if (files.length === 0) {
  console.error(`No test files under ${paths.join(', ')}.`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'munnin-test-'));
const entries = planTestProcesses(files, FILES_PER_SHARED_PROCESS, (f) => statSync(join(ROOT, f)).size).map((p) => {
  if (p.alone) return p.alone;
  const entry = join(dir, `${p.name}.test.mjs`);
  writeFileSync(entry, sharedProcessModule(ROOT, p.shared));
  return entry;
});
const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${CONCURRENCY}`, ...flags, ...entries], { cwd: ROOT, stdio: 'inherit' });
// Ctrl-C reaches the test runner too (same process group): wait for it to stop its tests.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
