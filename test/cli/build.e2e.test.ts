// The compiled commands (README "Development"): what `npm install` builds into dist/ and
// `npm run <command>` runs. Built here into a folder of the test's own, inside the clone
// (the bundles import their packages from its node_modules).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, commandNames, type Metafile } from '../../scripts/build.mjs';
import { staleInput } from '../../scripts/freshBuild.mjs';
import { makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const fixture = join(ROOT, 'test', 'fixtures', 'munnin-cybermonday-30k');
const tmp = makeTempDir('munnin-build-');
const out = mkdtempSync(join(ROOT, '.dist-test-'));
let metafile: Metafile;
after(() => {
  tmp.remove();
  rmSync(out, { recursive: true, force: true });
});

function run(command: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(out, 'cli', `${command}.js`), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Output files a file loads before its first line runs (static imports, transitively), and the packages among them. */
function staticClosure(output: string): { outputs: Set<string>; packages: Set<string>; inputs: Set<string> } {
  const outputs = new Set<string>();
  const packages = new Set<string>();
  const inputs = new Set<string>();
  const stack = [output];
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (outputs.has(o)) continue;
    outputs.add(o);
    for (const input of Object.keys(metafile.outputs[o]!.inputs)) inputs.add(input);
    for (const i of metafile.outputs[o]!.imports) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) {
        if (!i.path.startsWith('node:') && !i.path.endsWith('freshBuild.mjs')) packages.add(i.path);
      } else stack.push(i.path);
    }
  }
  return { outputs, packages, inputs };
}

const outputOf = (prefix: string) => Object.keys(metafile.outputs).find((o) => o.startsWith(prefix) && o.endsWith('.js'));

describe('the compiled commands', { timeout: 240_000 }, () => {
  before(async () => {
    ({ metafile } = await build({ outdir: out, quiet: true }));
  });

  it('builds one command per `node dist/cli/<name>.js` script of package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const expected = Object.entries(pkg.scripts)
      .filter(([, script]) => script.startsWith('node dist/cli/'))
      .map(([name]) => name)
      .sort();
    assert.ok(expected.includes('replay') && expected.includes('experiment'));
    assert.deepEqual(commandNames(), expected);
    for (const name of expected) assert.ok(outputOf(`${out.slice(ROOT.length + 1)}/cli/${name}.js`), `${name} built`);
  });

  it('loads nothing but the flags before the task needs more: no package, no detector, for --help', () => {
    const rel = out.slice(ROOT.length + 1);
    for (const name of ['replay', 'experiment', 'export', 'dashboard']) {
      const { packages, inputs } = staticClosure(`${rel}/cli/${name}.js`);
      assert.deepEqual([...packages], [], `${name}: packages loaded at start`);
      const heavy = [...inputs].filter((i) => /node_modules|src\/(detectors|report|dashboard|k8s|mesh|telemetry|sweep)\//.test(i));
      assert.deepEqual(heavy, [], `${name}: modules loaded at start`);
    }
  });

  it('keeps the Kubernetes client, the chart code and the dashboard behind dynamic imports of a replay and an experiment', () => {
    const rel = out.slice(ROOT.length + 1);
    for (const name of ['replayCommand', 'experimentCommand']) {
      const chunk = outputOf(`${rel}/chunks/${name}-`);
      assert.ok(chunk, `${name} is a chunk of its own`);
      const { packages, inputs } = staticClosure(chunk);
      for (const p of ['@kubernetes/client-node', '@napi-rs/canvas', 'chart.js']) assert.ok(!packages.has(p), `${name} loads ${p} at start`);
      assert.deepEqual([...inputs].filter((i) => /src\/(dashboard|k8s|report\/render)\//.test(i)), [], `${name}: modules loaded at start`);
    }
  });

  it('answers --help of every command', () => {
    for (const name of commandNames()) {
      const r = run(name, ['--help']);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`npm run ${name}`), name);
      assert.equal(r.stderr, '', name);
    }
  });

  it('replays a run as the sources do (same scores), loading the parameters module on demand', () => {
    const compiled = run('replay', [fixture, '--out', join(tmp.dir, 'compiled'), '--no-report', '--quiet']);
    assert.equal(compiled.code, 0, compiled.stderr);
    const source = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'replay.ts'), fixture, '--out', join(tmp.dir, 'source'), '--no-report', '--quiet'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(source.status, 0, source.stderr);
    assert.equal(readFileSync(join(tmp.dir, 'compiled', 'scores.csv'), 'utf8'), readFileSync(join(tmp.dir, 'source', 'scores.csv'), 'utf8'));
    assert.match(compiled.stdout, /^ewma +\d+/m);
  });

  it('replays on two threads with the worker built beside the commands: the same files as one thread', () => {
    const two = run('replay', [fixture, '--out', join(tmp.dir, 'two'), '--no-report', '--quiet', '--threads', '2']);
    assert.equal(two.code, 0, two.stderr);
    assert.ok(Object.keys(metafile.outputs).some((o) => o.endsWith('cli/replay-worker.js')), 'the worker is an output of the build');
    for (const file of ['scores.csv', 'alerts.ndjson', 'summary.json']) assert.equal(readFileSync(join(tmp.dir, 'two', file), 'utf8'), readFileSync(join(tmp.dir, 'compiled', file), 'utf8'), file);
  });

  it('imports a TypeScript parameters module outside any ES-module package (the detectors it names run)', () => {
    const params = join(tmp.dir, 'params.ts');
    writeFileSync(params, "const enabled: string[] = ['ewma', 'new-edge'];\nexport const parameters = { detectors: { enabled } };\n");
    const r = run('replay', [fixture, '--parameters', params, '--out', join(tmp.dir, 'with-params'), '--no-report', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split('\n').filter((l) => /^[a-z-]+ +\d+ +\d+/.test(l)).map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(rows, ['ewma', 'new-edge']);
  });

  it('run from a folder without parameters.ts or node_modules: a missing parameters.ts is one line, and a module the bundler refuses loads under tsx from there', () => {
    // Bug (7 Dec, sixth session): the command ran itself again under a bare `--import tsx`, which
    // Node resolves from the working directory: for a parameters.ts that was not there (and for
    // one the bundler warned about) it ended in ERR_MODULE_NOT_FOUND and a stack trace.
    const elsewhere = join(tmp.dir, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(join(elsewhere, 'package.json'), '{}\n');
    const runThere = (command: string, args: readonly string[]) => spawnSync(process.execPath, [join(out, 'cli', `${command}.js`), ...args], { cwd: elsewhere, encoding: 'utf8', timeout: 120_000 });
    const missing = runThere('experiment', ['--duration', '10']);
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /^error: parameters\.ts: no such file in .*elsewhere \(npm run experiment reads \.\/parameters\.ts/);
    assert.doesNotMatch(missing.stderr, /^\s+at |ERR_MODULE_NOT_FOUND/m);
    // esbuild warns about the comparison (a typeof never equal to 'strng') and so keeps no bundle:
    // the command runs itself again under tsx, which must resolve from the command, not from here.
    writeFileSync(join(elsewhere, 'parameters.ts'), "const odd = typeof process === 'strng';\nexport const parameters = { detectors: { enabled: odd ? ['ewma'] : ['new-edge'] } };\n");
    const loaded = runThere('replay', [fixture, '--parameters', 'parameters.ts', '--out', join(elsewhere, 'out'), '--no-report', '--quiet']);
    assert.equal(loaded.status, 0, loaded.stderr);
    assert.deepEqual(loaded.stdout.split('\n').filter((l) => /^[a-z-]+ +\d+ +\d+/.test(l)).map((l) => l.split(/\s+/)[0]), ['new-edge']);
  });

  it('a user mistake is one line and exit 2, as from the sources', () => {
    const r = run('replay', [join(tmp.dir, 'no-such-run')]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `error: ${join(tmp.dir, 'no-such-run')}: no such run directory\n`);
  });

  it('lists every parameter mistake in English, as from the sources (zod bundled with its English messages only)', () => {
    const params = join(tmp.dir, 'bad.ts');
    writeFileSync(params, "export const parameters = { traffic: { users: -3 }, exfiltration: [{ atSeconds: 5, bytes: 1, method: 'ftp' }] };\n");
    const r = run('experiment', ['--parameters', params]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /traffic\.users: Too small: expected number to be >0 \(got -3\)/);
    assert.match(r.stderr, /exfiltration\[0\]\.method: Invalid option: expected one of "api"\|"egress" \(got "ftp"\)/);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });

  it('never runs a stale build: an input newer than the build makes the command rebuild, then run', () => {
    assert.equal(staleInput(out), undefined, 'fresh after building');
    const infoFile = join(out, 'build.json');
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { startedMs: number; inputs: string[] };
    assert.ok(info.inputs.includes('src/cli/replay.ts') && info.inputs.includes('package.json'));
    // As if every source had been edited after the build started.
    writeFileSync(infoFile, JSON.stringify({ ...info, startedMs: 0 }));
    assert.equal(staleInput(out), info.inputs[0]);
    const r = run('replay', ['--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /changed since the build .*: rebuilding/);
    assert.match(r.stdout, /npm run replay/);
    const rebuilt = JSON.parse(readFileSync(infoFile, 'utf8')) as { startedMs: number };
    assert.ok(rebuilt.startedMs > 0, 'build.json rewritten');
    assert.equal(staleInput(out), undefined);
    // A gone input is stale too.
    writeFileSync(infoFile, JSON.stringify({ ...info, inputs: [...info.inputs, 'src/no-such-module.ts'] }));
    assert.equal(staleInput(out), 'src/no-such-module.ts (gone)');
  });

  it('a stale build’s command stops on a SIGTERM sent to the process started (the rebuilt command runs in a child it passes SIGTERM to)', async () => {
    // Regression: the process that rebuilds and runs the command again ignored SIGTERM while it
    // waited, so `kill <pid>` (or a script's child.kill) left the dashboard serving and its
    // caller waiting for its output to end, for good (scripts/screenshots.mjs hung so).
    const infoFile = join(out, 'build.json');
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { startedMs: number };
    writeFileSync(infoFile, JSON.stringify({ ...info, startedMs: 0 }));
    const data = join(tmp.dir, 'dashboard-data');
    mkdirSync(data);
    const child = spawn(process.execPath, [join(out, 'cli', 'dashboard.js'), '--data', data, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let said = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const url = await new Promise<string>((found, failed) => {
      child.stderr!.on('data', (d: Buffer) => {
        said += d.toString();
        const m = /dashboard: (http:\/\/\S+)/.exec(said);
        if (m) found(m[1]!);
      });
      void exited.then(() => failed(new Error(`the dashboard stopped before serving:\n${said}`)));
    });
    assert.match(said, /changed since the build .*: rebuilding/, 'the stale path was taken');
    assert.equal((await fetch(url)).status, 200);
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const { code, signal } = await exited;
    clearTimeout(timeout);
    assert.equal(signal, null, `ended by ${signal}, not by passing SIGTERM on: ${said}`);
    assert.notEqual(code, null);
    await assert.rejects(fetch(url), 'the rebuilt command (the dashboard) stopped too');
  });
});
