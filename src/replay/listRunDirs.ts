import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';

/** A run folder inside a folder of runs. */
export interface RunDir {
  /** The folder's name: the run's name in the comparison. */
  readonly name: string;
  readonly dir: string;
}

/**
 * The run folders directly inside `dir` (those holding a run.json; symbolic links to them
 * count), in name order. Hidden folders (a replay's staging folders) and anything else
 * (a replay's output, notes) are left alone. A folder without any is a user error.
 */
export function listRunDirs(dir: string): RunDir[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new UserError(code === 'ENOENT' ? `${dir}: not found` : code === 'ENOTDIR' ? `${dir}: not a folder` : `${dir}: cannot be read: ${(e as Error).message}`);
  }
  const runs = names
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => ({ name, dir: join(dir, name) }))
    .filter((r) => isDirectory(r.dir) && existsSync(join(r.dir, 'run.json')));
  if (runs.length === 0) throw new UserError(`${dir}: no run in it: it holds no run.json, nor does any folder in it (a run is a folder holding run.json, docs/run-format.md); nothing replayed`);
  return runs;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a dangling link: not a run
  }
}

/**
 * Whether a replay may write beside the run: the folder is writable to this process and its
 * owner has not made it read-only (no write permission bit: root could write anyway, but a
 * read-only folder, like a shared data set, is not ours to change).
 */
export function isWritableDir(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return (statSync(dir).mode & 0o222) !== 0;
  } catch {
    return false;
  }
}
