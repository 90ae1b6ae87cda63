// Which test files share a Node process under `npm test` (scripts/test.mjs), and the module a
// shared process runs. Plain JavaScript, like build.mjs: it runs before anything is built.
//
// Why share: every process `node --test` starts pays ~1 s of loading before its first test
// (Node, tsx's loader thread, then rxjs, zod and the sources, each transpiled), more than
// most test files' own tests take. 42 of test/detectors' files took 41.5 s as 42 processes and
// 7.3 s as one, the same 316 tests passing. Files named *.e2e.test.ts still get a process each:
// they start real programs (Prometheus, Locust, Chromium, the compiled commands) or run an
// experiment in real time, so they spend their time waiting, and run best beside the others.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Test files that share a process: at most this many, so that both cores stay busy. */
export const FILES_PER_SHARED_PROCESS = 12;

/** Every `*.test.ts` under `dir` (not fixtures), sorted, as paths relative to `root`. */
export function findTestFiles(root, dir = 'test') {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'fixtures' && entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.test.ts')) found.push(path.split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

/** A file that must run in a process of its own (see the header). */
export const runsAlone = (file) => file.endsWith('.e2e.test.ts');

/**
 * The processes to run: `{ alone: file }` or `{ shared: files, name }`. Shared files are grouped
 * by their folder under test/ (e.g. test/detectors and its subfolders), split into even chunks
 * of at most `filesPerProcess`; processes of their own and shared ones alternate, so that a
 * waiting test and a busy one usually run side by side. Files of their own go largest
 * `weightOf` first (test.mjs weighs them by their size in bytes, a rough guess of how long they
 * run: the three that ran longest, 60-80 s, were among the five largest), so that a long one
 * does not start last and run alone at the end.
 */
export function planTestProcesses(files, filesPerProcess = FILES_PER_SHARED_PROCESS, weightOf = () => 0) {
  if (!(Number.isInteger(filesPerProcess) && filesPerProcess >= 1)) throw new RangeError(`filesPerProcess must be a whole number ≥ 1, got ${filesPerProcess}`);
  const weights = new Map(files.filter(runsAlone).map((file) => [file, weightOf(file)]));
  const alone = [...weights.keys()].sort((a, b) => weights.get(b) - weights.get(a)).map((file) => ({ alone: file }));
  const byFolder = new Map();
  for (const file of files.filter((f) => !runsAlone(f))) {
    const parts = file.split('/');
    const folder = parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0];
    if (!byFolder.has(folder)) byFolder.set(folder, []);
    byFolder.get(folder).push(file);
  }
  const shared = [];
  for (const [folder, group] of byFolder) {
    const chunks = Math.ceil(group.length / filesPerProcess);
    const size = Math.ceil(group.length / chunks);
    for (let i = 0; i < chunks; i++) {
      const name = `${folder.replace(/^test\//, '').replaceAll('/', '-')}${chunks > 1 ? `-${i + 1}` : ''}`;
      shared.push({ shared: group.slice(i * size, (i + 1) * size), name });
    }
  }
  const plan = [];
  for (let i = 0; i < Math.max(alone.length, shared.length); i++) {
    if (i < alone.length) plan.push(alone[i]);
    if (i < shared.length) plan.push(shared[i]);
  }
  return plan;
}

/**
 * The module of a shared process: it imports each file in turn, so that their tests register
 * and then run in file order. Every file is evaluated before the first test runs (a later
 * file's evaluation during an earlier file's test made a describe body's captureLog() take over
 * the log of the test running then: ignoredFieldsSaid lost its warnings), and a file's
 * top-level before/after hooks are the process's: they run before its first test and after its
 * last. A file that cannot be imported becomes one failing test named after it, with the error;
 * the others still run.
 */
export function sharedProcessModule(root, files) {
  const lines = [
    "import { before, test } from 'node:test';",
    '// Written by scripts/test.mjs: the test files below share this process.',
    // The runner starts the first file's tests while the next file is imported: held back until
    // every file is evaluated, so that no file's evaluation (a describe body's captureLog(),
    // say) runs during another file's test.
    'let imported;',
    'const allImported = new Promise((resolve) => { imported = resolve; });',
    'before(() => allImported);',
    // The runner reports finished tests through stdout a little after they finish: a test that
    // replaced process.stdout.write meanwhile swallowed the reports of the tests before it,
    // which vanished from the run without a failure. Replacing it is refused here instead.
    "Object.defineProperty(process.stdout, 'write', { value: process.stdout.write, writable: false, configurable: false });",
  ];
  // Node 20's own fetch is undici 6.24, whose connection timers can fire after the connection
  // was collected and throw from the timer ("Cannot destructure property 'socket' of
  // 'parser.deref(...)'", seen once in CI: a shared process lives longer than one file's).
  // undici 7, installed for @kubernetes/client-node, checks for it: fetch goes through it here.
  const undici = resolveFrom(root, 'undici');
  if (undici !== undefined) lines.push(`import { Agent, setGlobalDispatcher } from ${JSON.stringify(undici)};`, 'setGlobalDispatcher(new Agent());');
  for (const file of files) {
    const url = JSON.stringify(pathToFileURL(join(root, file)).href);
    const name = JSON.stringify(`${file} (could not be loaded)`);
    lines.push(`try { await import(${url}); } catch (error) { test(${name}, () => { throw error; }); }`);
  }
  lines.push('imported();');
  return `${lines.join('\n')}\n`;
}

/** The file URL of `name` as `root`'s package imports it, or undefined when it is not installed. */
function resolveFrom(root, name) {
  try {
    return pathToFileURL(createRequire(join(root, 'package.json')).resolve(name)).href;
  } catch {
    return undefined;
  }
}
