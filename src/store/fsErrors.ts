import { accessSync, constants, closeSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.ts';

/** Error codes that are the machine's state (permissions, mounts, space), not a bug: what each means. */
const FS_CAUSES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
  EIO: 'input/output error (a failing disk or a network mount gone)',
  ENXIO: 'not a regular file (a device or socket)',
  ETXTBSY: 'file busy',
  EBUSY: 'resource busy',
};

/** Whether `e` is a file-system error describable by describeFsError. */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code! in FS_CAUSES;
}

/**
 * A file-system error as a user error: `<path>: cannot <doing>: <cause in words> (<fix>)`,
 * naming the exact file when the error names a different one. Anything else (a bug) is
 * returned unchanged.
 */
export function describeFsError(e: unknown, path: string, doing: string, fix?: string): Error {
  if (e instanceof UserError) return e;
  if (!isFsError(e)) return e instanceof Error ? e : new Error(String(e));
  const at = typeof e.path === 'string' && resolve(e.path) !== resolve(path) ? ` (at ${e.path})` : '';
  const advice = fix ?? defaultFix(e.code!);
  return new UserError(`${path}: cannot ${doing}: ${FS_CAUSES[e.code!]}${at}${advice ? `; ${advice}` : ''}`);
}

function defaultFix(code: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'choose a folder you can write to';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free some space or choose a folder on another disk';
    default:
      return '';
  }
}

/**
 * Check, before anything starts, that `dir` can be created (or is) a folder this process can
 * write to: its nearest existing ancestor must be a folder, and a file must be creatable in
 * it (a probe file, removed at once: permission bits say nothing of a read-only mount).
 * Throws a UserError naming the folder, the cause and `fix`.
 */
export function checkWritableDir(dir: string, what: string, fix: string): void {
  let existing = resolve(dir);
  for (;;) {
    try {
      const stat = statSync(existing);
      if (!stat.isDirectory()) throw new UserError(`${dir}: cannot write ${what} there: ${existing} is a file, not a folder; ${fix}`);
      break;
    } catch (e) {
      if (e instanceof UserError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(existing) === existing) throw describeFsError(e, dir, `write ${what} there`, fix);
      existing = dirname(existing);
    }
  }
  const probe = `${existing}/.munnin-write-check-${process.pid}`;
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
  } catch (e) {
    throw describeFsError(e, dir, `write ${what} there`, fix);
  }
}
