// Imported first by every built command (the build's banner): refuses to run a build older
// than its sources. When any input of the build (a src/ module, package.json, the build
// scripts) changed after the build started, or is gone, it rebuilds and runs the command
// again in a fresh process (the stale modules are already loaded in this one). Costs one
// stat per input (~250, a few milliseconds).
import { spawnSync } from 'node:child_process';
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
    // Ctrl-C reaches the child (same process group), which stops cleanly; this process only waits.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => {});
    const again = spawnSync(process.execPath, [...process.execArgv, entry, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, MUNNIN_BUILD_CHECKED: '1' } });
    process.exit(again.status ?? (again.signal === 'SIGINT' ? 130 : 1));
  }
}
