import { access, readFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';

/** The UserError for a file that could not be read, naming it. */
export function readError(path: string, e: unknown): UserError {
  if ((e as { code?: string }).code === 'ENOENT') return new UserError(`${path}: file not found`);
  return new UserError(`${path}: cannot read (${e instanceof Error ? e.message : String(e)})`);
}

/** A file's text; missing or unreadable is a UserError naming it. */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw readError(path, e);
  }
}

/** Optional files (alerts, scores) are read only when present. */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
