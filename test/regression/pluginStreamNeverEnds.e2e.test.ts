// Bug: a detector plugin whose stream never ended (`create: () => () => NEVER`, or a verdict
// awaiting a promise that never settles) made `npm run replay` print its "detector settings"
// line and exit 0 about 1.5 s later, writing nothing and saying nothing: the run waited on the
// plugin until Node's event loop ran dry, and runCli took the silent end for success. A folder
// replay stopped after its first run the same way, exit 0, no comparison. Now a plugin's stream
// still open when nothing is left to run fails as a contract breach naming the detector, its
// module and the first interval left unanswered (a folder replay skips that run and goes on),
// and runCli treats any main that never settles as a failure (exit 1), not as success.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'munnin-cybermonday-30k');
const PLUGINS = join(ROOT, 'test', 'fixtures', 'plugins');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const replay = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'replay.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });

describe('a plugin whose stream never ends', () => {
  it('one that never takes a frame: the replay fails naming it, nothing written', { timeout: 60_000 }, () => {
    const tmp = makeTempDir();
    try {
      const out = join(tmp.dir, 'out');
      const plugin = join(PLUGINS, 'never-ends.mjs');
      const r = replay(FIXTURE, '--detectors', 'ewma', '--detector-module', plugin, '--training', '100', '--no-report', '--quiet', '--out', out);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^error: detector "never-ends" \\(plugin ${escape(plugin)}\\) breaks the detector contract \\(README "Writing a detector"\\): its stream never took a frame and never ended`, 'm'));
      assert.ok(!existsSync(join(out, 'summary.json')));
    } finally {
      tmp.remove();
    }
  });

  it('one that stops answering: each run of a folder fails naming the first interval unanswered; the folder replay goes on to the next run', { timeout: 60_000 }, () => {
    const tmp = makeTempDir();
    try {
      cpSync(FIXTURE, join(tmp.dir, 'runs', 'a'), { recursive: true });
      cpSync(FIXTURE, join(tmp.dir, 'runs', 'b'), { recursive: true });
      const plugin = join(PLUGINS, 'stops-answering.mjs');
      // It answers three frames: the fourth interval of the run is the first unanswered, and
      // every interval from it on is unanswered.
      const lines = readFileSync(join(FIXTURE, 'snapshots.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '');
      const fourth = (JSON.parse(lines[3]!) as { t: number }).t;
      const r = replay(join(tmp.dir, 'runs'), '--detectors', 'ewma', '--detector-module', plugin, '--training', '100', '--quiet');
      assert.equal(r.status, 2, r.stderr);
      const named = new RegExp(`detector "stops-answering" \\(plugin ${escape(plugin)}\\) breaks the detector contract \\(README "Writing a detector"\\) at the interval t = ${escape(String(fourth))} \\([\\d.]+ s into the stream\\): no verdict for this interval: the plugin's stream stopped without ending, ${lines.length - 3} interval\\(s\\) unanswered`);
      assert.match(r.stderr, new RegExp(`^warn: a: not replayed: ${named.source}`, 'm'));
      assert.match(r.stderr, new RegExp(`^warn: b: not replayed: ${named.source}`, 'm'));
      assert.match(r.stderr, /none of its 2 run\(s\) could be replayed/);
    } finally {
      tmp.remove();
    }
  });

  it("runCli: a main that never settles exits 1 with a message, not 0", { timeout: 60_000 }, () => {
    const script = `import { runCli } from ${JSON.stringify(join(ROOT, 'src', 'cli', 'runCli.ts'))}; runCli(() => new Promise(() => {}));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^munnin: unexpected error \(a bug; please report it\): the command stopped before finishing/);
  });
});
