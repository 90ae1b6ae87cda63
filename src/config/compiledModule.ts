import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../packageRoot.ts';

/**
 * A TypeScript parameters module compiled once to one JavaScript file and kept, so that a
 * command run again (`npm run replay` from the repository, whose parameters.ts every replay
 * reads) imports plain JavaScript instead of starting tsx's compiler thread each time: tsx
 * costs ~0.2 s of a whole replay, a kept bundle a few milliseconds.
 *
 * The module and every file it imports are bundled by esbuild (the compiler tsx itself runs),
 * packages included, into `node_modules/.cache/munnin-compiled/<hash of its path>.mjs` of this
 * installation (where build tools keep their caches: the user's own, not a shared /tmp), beside the
 * list of the files that went in with their size and modification time. The bundle is used
 * again only while every one of those files is unchanged; otherwise it is made again. Anything
 * esbuild cannot bundle cleanly (an error, a warning) is not kept and the caller loads the file
 * through tsx as before, so a mistake in parameters.ts is reported as it always was.
 * Parameters are plain data (loadParameters checks), so a bundled copy of an imported helper is
 * as good as the original; `import.meta.url` inside the bundle names the bundle, not the source.
 */

/** A kept bundle not made or used for this long is removed when another is made (tests and one-off files leave many). */
const KEEP_UNUSED_MS = 7 * 24 * 3600 * 1000;

interface Manifest {
  readonly source: string;
  readonly inputs: readonly { readonly path: string; readonly size: number; readonly mtimeMs: number }[];
}

const compiled = new Map<string, string>();

/** The file: URL to import for `file` when it was compiled by compileTypeScriptModule, else undefined. */
export function compiledModuleUrl(file: string): string | undefined {
  return compiled.get(resolve(file));
}

/** Compile (or find kept) `file`'s bundle; true when compiledModuleUrl(file) now names it. */
export async function compileTypeScriptModule(file: string, cacheDir = defaultCacheDir()): Promise<boolean> {
  if (cacheDir === undefined) return false;
  const source = resolve(file);
  const key = createHash('sha256').update(source).digest('hex').slice(0, 24);
  const bundle = join(cacheDir, `${key}.mjs`);
  const manifestFile = join(cacheDir, `${key}.json`);
  let made = keptBundleTime(manifestFile, bundle, source);
  if (made === undefined) {
    if (!(await build(source, cacheDir, bundle, manifestFile))) return false;
    made = keptBundleTime(manifestFile, bundle, source);
    if (made === undefined) return false; // removed at once by another command: tsx then
  }
  touch(manifestFile);
  compiled.set(source, `${pathToFileURL(bundle).href}?${made}`);
  return true;
}

/** Mark a kept bundle as used now (its manifest's time), so removeUnused keeps it. */
function touch(manifestFile: string): void {
  try {
    const now = new Date();
    utimesSync(manifestFile, now, now);
  } catch {
    // A cache that cannot be marked is still a good cache.
  }
}

/** Remove kept bundles whose manifest was not made or used for KEEP_UNUSED_MS. */
function removeUnused(cacheDir: string): void {
  const cutoff = Date.now() - KEEP_UNUSED_MS;
  for (const name of readdirSync(cacheDir)) {
    if (!name.endsWith('.json')) continue;
    const manifest = join(cacheDir, name);
    try {
      if (statSync(manifest).mtimeMs >= cutoff) continue;
      rmSync(manifest, { force: true });
      rmSync(manifest.replace(/\.json$/, '.mjs'), { force: true });
    } catch {
      // Another command removed it first.
    }
  }
}

/** node_modules/.cache/munnin-compiled of this installation (see packageRoot); undefined: no cache. */
function defaultCacheDir(): string | undefined {
  const root = packageRoot();
  return root === undefined ? undefined : join(root, 'node_modules', '.cache', 'munnin-compiled');
}

/**
 * The kept bundle's modification time when it is there and every one of its inputs is as it was
 * when it was made; undefined otherwise (nothing kept, an input changed, or another command
 * removed the bundle).
 */
function keptBundleTime(manifestFile: string, bundle: string, source: string): number | undefined {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (manifest.source !== source || manifest.inputs.length === 0) return undefined;
    const unchanged = manifest.inputs.every((input) => {
      const s = statSync(input.path);
      return s.size === input.size && s.mtimeMs === input.mtimeMs;
    });
    return unchanged ? statSync(bundle).mtimeMs : undefined;
  } catch {
    return undefined;
  }
}

async function build(source: string, cacheDir: string, bundle: string, manifestFile: string): Promise<boolean> {
  try {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({ entryPoints: [source], bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, metafile: true, logLevel: 'silent', outfile: bundle });
    if (result.errors.length > 0 || result.warnings.length > 0 || result.outputFiles.length !== 1) return false;
    const inputs = Object.keys(result.metafile.inputs).map((p) => {
      const path = resolve(p);
      const s = statSync(path);
      return { path, size: s.size, mtimeMs: s.mtimeMs };
    });
    mkdirSync(cacheDir, { recursive: true });
    removeUnused(cacheDir);
    // Written aside and renamed: a command running at the same time never reads half a file.
    const tmp = `${bundle}.${process.pid}.tmp`;
    writeFileSync(tmp, result.outputFiles[0]!.contents);
    renameSync(tmp, bundle);
    const manifest: Manifest = { source, inputs };
    writeFileSync(`${manifestFile}.${process.pid}.tmp`, JSON.stringify(manifest));
    renameSync(`${manifestFile}.${process.pid}.tmp`, manifestFile);
    return true;
  } catch {
    return false;
  }
}
