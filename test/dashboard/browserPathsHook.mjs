// A module resolve hook for tests that import the dashboard's browser code (src/dashboard/web/*.js)
// in Node: the page imports shared project modules by the path the dashboard serves them at
// (`/src/visibleBidi.ts`), which in Node would be a path from the file system's root.
// Here that path is taken from the repository's root instead, as the dashboard's server does.
import { pathToFileURL } from 'node:url';
import { resolve as resolvePath } from 'node:path';

const ROOT = resolvePath(import.meta.dirname, '..', '..');

export async function resolve(specifier, context, next) {
  if (specifier.startsWith('/src/')) return next(pathToFileURL(resolvePath(ROOT, `.${specifier}`)).href, context);
  return next(specifier, context);
}
