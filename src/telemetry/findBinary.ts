import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * Absolute path of an executable: `name` itself when it contains a slash, else the first
 * match on PATH. Undefined when there is none.
 */
export function findBinary(name: string, path: string = process.env['PATH'] ?? ''): string | undefined {
  if (name.includes('/')) {
    const file = resolve(name);
    return executable(file) ? file : undefined;
  }
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
