// Imported first by every built command (the build's banner): refuses to run a build older
// than its sources. When any input of the build (a src/ module, package.json, the build
// scripts) changed after the build started, or is gone, it rebuilds and runs the command
// again in a fresh process (the stale modules are already loaded in this one). Costs one
// stat per input (~250, a few milliseconds).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The first input of the build in `outdir` changed since it was built, or undefined if it is fresh. */
export function staleInput(outdir, root = ROOT) {
  let info;
  try {
    info = JSON.parse(readFileSync(join(outdir, 'build.json'), 'utf8'));
  } catch {
    return 'build.json (missing: the build did not finish)';
  }
  for (const input of info.inputs) {
    let mtimeMs;
    try {
      mtimeMs = statSync(join(root, input)).mtimeMs;
    } catch {
      return `${input} (gone)`;
    }
    if (mtimeMs >= info.startedMs) return input;
  }
  return undefined;
}

const entry = process.argv[1] ? resolve(process.argv[1]) : '';
const outdir = dirname(dirname(entry));
if (entry.endsWith('.js') && process.env.MUNNIN_BUILD_CHECKED !== '1') {
  const stale = staleInput(outdir);
  if (stale !== undefined) {
    process.stderr.write(`munnin: ${stale} changed since the build in ${outdir}: rebuilding (npm run build)...\n`);
    const args = ['--outdir', outdir, '--quiet'];
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), ...args], { stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
    const again = spawn(process.execPath, [...process.execArgv, entry, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, MUNNIN_BUILD_CHECKED: '1' } });
    // This process only waits. A terminal's Ctrl-C reaches the command too (same process group),
    // which stops cleanly; passing it on would be a second Ctrl-C, which quits at once. SIGTERM
    // comes from a program (kill, a supervisor, npm passing on its own, a script stopping a
    // dashboard) to this process alone: passed on. Ignored, as it once was (and waited for in
    // spawnSync, which runs no handler), it left the command running and its caller waiting
    // for its output to end: a script stopping a stale build's dashboard hung for good.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => again.kill('SIGTERM'));
    again.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1)));
    // The command's own modules, imported after this one, must not run here too.
    await new Promise(() => {});
  }
}
