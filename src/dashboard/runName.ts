import { dirname, join, resolve } from 'node:path';
import { HttpError } from './httpResponses.ts';

const MAX_NAME_LENGTH = 255;

/**
 * Why `name` cannot be a run name, or undefined when it can. A run is a directory directly
 * under the data folder: no separators, no dot names, no control characters. Anything else,
 * however odd (spaces, `<`, quotes), is a legal directory name and is shown as text.
 */
export function runNameProblem(name: string): string | undefined {
  if (name === '') return 'empty run name';
  if (name.length > MAX_NAME_LENGTH) return `run name longer than ${MAX_NAME_LENGTH} characters`;
  if (name.includes('/') || name.includes('\\')) return 'a run name cannot contain / or \\';
  if (name.startsWith('.')) return 'a run name cannot start with a dot';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a run name cannot contain control characters';
  return undefined;
}

/** The directory of run `name` under `dataDir`, or a 400 when the name could leave it. */
export function runDirectory(dataDir: string, name: string): string {
  const problem = runNameProblem(name);
  if (problem) throw new HttpError(400, `${problem} (got ${JSON.stringify(name.slice(0, 80))})`);
  const root = resolve(dataDir);
  const dir = join(root, name);
  // Belt and braces: whatever the checks above missed, the result must sit directly in root.
  if (dirname(dir) !== root) throw new HttpError(400, `run name ${JSON.stringify(name.slice(0, 80))} points outside the data folder`);
  return dir;
}
