// Builds the commands into dist/: one bundle per command named in package.json's scripts as
// `node dist/cli/<name>.js` (src/cli/<name>.ts), code shared between them and code behind a
// dynamic import in dist/chunks/. rxjs, tslib and zod are bundled, other packages imported from
// node_modules as published (packagesPlugin). Plain
// JavaScript, so that it runs before anything is built: `npm install` runs it (`prepare`), so
// does `npm test`, and a command whose build is older than its sources rebuilds first
// (scripts/freshBuild.mjs).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** What the build records about itself, read by the freshness check. */
export const BUILD_INFO = 'build.json';
const COMMAND = /\bnode (?:\S+ )*dist\/cli\/([\w-]+)\.js\b/g;
/** The replay's worker thread, built beside the commands (not a command itself). */
const WORKER_ENTRY = 'cli/replay-worker';

/** The commands to build: every `node dist/cli/<name>.js` in package.json's scripts. */
export function commandNames(root = ROOT) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const names = new Set();
  for (const script of Object.values(pkg.scripts ?? {})) for (const m of String(script).matchAll(COMMAND)) names.add(m[1]);
  return [...names].sort();
}

/**
 * Source modules find their files (istio/, locust/, dashboard/web, src/ for the browser
 * modules) relative to `import.meta.url`. In a bundle that URL would be the output file's, so
 * outside src/cli/ it is replaced by the source file's own URL, expressed relative to the
 * output file (every output file is one folder deep in the output dir, cli/ or chunks/): the
 * build keeps working when the clone moves. src/cli/ keeps the output file's URL: a command
 * asks "am I the program being run?" with it.
 */
function sourceUrlPlugin(outdir) {
  return {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = readFileSync(args.path, 'utf8');
        const inCli = args.path.startsWith(join(ROOT, 'src', 'cli') + sep);
        if (inCli || !source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
        const fromOutput = relative(join(outdir, 'cli'), args.path).split(sep).join('/');
        const url = `new URL(${JSON.stringify(fromOutput)}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

/**
 * Pure-JavaScript packages every command loads, bundled (only what is used of them) because
 * Node loads each of their hundreds of files one by one otherwise: rxjs's alone took ~0.09 s
 * of a command's start. Every other package stays in node_modules, imported as published
 * (native code, files found at run time, or loaded only behind a dynamic import anyway).
 */
const BUNDLED_PACKAGES = new Set(['rxjs', 'tslib', 'zod']);

function packagesPlugin() {
  return {
    name: 'packages',
    setup(build) {
      // zod's error messages in its ~40 languages (370 kB, a third of what a replay loads):
      // only English is ever used (zod's default), so only English is bundled.
      build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir) ? { path: 'english-only', namespace: 'zod-locales', pluginData: join(args.resolveDir, '..', 'locales') } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: "export { default as en } from './en.js';", resolveDir: args.pluginData, loader: 'js' }));
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        return BUNDLED_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/** Build every command into `outdir` (default dist/), replacing what was there. */
export async function build({ root = ROOT, outdir = join(ROOT, 'dist'), quiet = false } = {}) {
  const startedMs = Date.now();
  const names = commandNames(root);
  rmSync(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: {
      ...Object.fromEntries(names.map((n) => [`cli/${n}`, join(root, 'src', 'cli', `${n}.ts`)])),
      // Not a command: the thread a replay with --threads 2 starts (src/replay/offload/).
      [WORKER_ENTRY]: join(root, 'src', 'replay', 'offload', 'offloadWorker.ts'),
    },
    // Where that worker is built, from the package root (offloadWorkerEntry.ts; under tsx it is undefined).
    define: { MUNNIN_OFFLOAD_WORKER: JSON.stringify(relative(root, join(outdir, `${WORKER_ENTRY}.js`)).split(sep).join('/')) },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    // 'neutral', not 'node': the bundled packages resolve to their ES modules (rxjs's node
    // condition is CommonJS, which cannot be tree-shaken); every other import is external.
    platform: 'neutral',
    mainFields: ['es2015', 'module', 'main'],
    conditions: ['es2015', 'import'],
    target: 'node20',
    plugins: [sourceUrlPlugin(outdir), packagesPlugin()],
    chunkNames: 'chunks/[name]-[hash]',
    // Stack traces of bugs name the real functions.
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    // Every command first checks that its build is not older than its sources.
    banner: { js: `import ${JSON.stringify(relative(join(outdir, 'cli'), join(root, 'scripts', 'freshBuild.mjs')).split(sep).join('/'))};` },
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
  });
  // The inputs (relative to the root) and when the build started: a later change to any of
  // them, or to the build's own files, makes the build stale.
  // Packages are not watched: installing them runs the build anyway (prepare).
  const sources = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules') && !p.includes(':'));
  const inputs = [...sources.map((p) => relative(root, resolve(root, p))), 'package.json', 'scripts/build.mjs', 'scripts/freshBuild.mjs'];
  writeFileSync(join(outdir, BUILD_INFO), `${JSON.stringify({ startedMs, commands: names, inputs }, null, 1)}\n`);
  if (!quiet) process.stderr.write(`built ${names.length} commands (${names.join(', ')}) into ${relative(root, outdir) || outdir} in ${((Date.now() - startedMs) / 1000).toFixed(1)} s\n`);
  return { commands: names, inputs, metafile: result.metafile };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outIndex = process.argv.indexOf('--outdir');
  await build({ outdir: outIndex > 0 ? resolve(process.argv[outIndex + 1]) : undefined, quiet: process.argv.includes('--quiet') });
}
