import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compileTypeScriptModule } from '../config/compiledModule.ts';

/**
 * The commands run as compiled JavaScript (dist/), from which Node 20 cannot import a `.ts`
 * parameters or plugin module. Before importing one, a command calls this, and tsx's register
 * API then compiles TypeScript for the rest of the process: loaded only then (it costs
 * ~0.1 s), and not at all when the command already runs under tsx (from src/, as the tests do).
 *
 * Registered this late, tsx compiles a `.ts` file outside an ES-module package (no
 * `"type": "module"` in its nearest package.json: Node treats it as CommonJS) to a module whose
 * named exports `import()` cannot see. For such a file the command runs itself again under
 * `node --import tsx` instead, which loads it as the sources' tests always have.
 *
 * First of all, though, the module is bundled to JavaScript once and kept (see
 * compileTypeScriptModule): when that works, loadParameters imports the bundle and tsx is not
 * loaded at all (it cost ~0.2 s of every replay run from the repository, whose parameters.ts
 * every command reads).
 */
const TYPESCRIPT_EXTENSION = /\.[mc]?tsx?$/;
const RERUN_ENV = 'MUNNIN_UNDER_TSX';
// Already compiling TypeScript: running from src/ under tsx, or this command's run again under it.
let registered = import.meta.url.endsWith('.ts') || process.env[RERUN_ENV] === '1';

/** Resolves once `file` can be imported; never resolves when the command was run again instead (it exits with that run's code). */
export async function allowTypeScriptImports(file: string): Promise<void> {
  // A file that is not there is loadParameters' to report (naming it), not a reason to run again.
  if (registered || !TYPESCRIPT_EXTENSION.test(file) || !existsSync(file)) return;
  if (await compileTypeScriptModule(file)) return;
  if (file.endsWith('.ts') && !inModulePackage(resolve(file))) return rerunUnderTsx();
  registered = true;
  // Both module systems, as `--import tsx` does: a parameters module may import CommonJS.
  const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  esm.register();
  cjs.register();
}

/** Whether the nearest package.json above `file` says `"type": "module"`. */
export function inModulePackage(file: string): boolean {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

function rerunUnderTsx(): Promise<never> {
  // tsx resolved from here: a bare `--import tsx` resolves from the working directory, which
  // need not hold the project's node_modules.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, [RERUN_ENV]: '1' } });
  // Ctrl-C reaches the child too (same process group) and it stops cleanly; this one waits.
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', () => {});
  process.on('SIGTERM', forward('SIGTERM'));
  return new Promise<never>(() => {
    child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}
