import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { makeTempDir } from '../util.ts';
import { copyFixtureRuns, get } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function run(script: string, args: string[]): { exited: Promise<{ code: number | null; stderr: string; stdout: string }>; stderrHas(re: RegExp): Promise<RegExpExecArray>; kill(signal: NodeJS.Signals): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  const waiters: (() => void)[] = [];
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
    for (const w of waiters.splice(0)) w();
  });
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  const exited = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr, stdout })));
  return {
    exited,
    async stderrHas(re) {
      for (;;) {
        const m = re.exec(stderr);
        if (m) return m;
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before ${re}: ${stderr}`);
        await new Promise<void>((r) => waiters.push(r));
      }
    },
    kill: (signal) => child.kill(signal),
  };
}

describe('npm run dashboard', { timeout: 60_000 }, () => {
  const tmp = makeTempDir('munnin-dashboard-cli-');
  after(() => tmp.remove());

  it('serves the runs on loopback, says where, and stops cleanly on Ctrl-C', async () => {
    copyFixtureRuns(tmp.dir);
    const p = run('dashboard.ts', ['--port', '0', '--data', tmp.dir]);
    const [, url] = await p.stderrHas(/dashboard: (http:\/\/127\.0\.0\.1:\d+\/) \(runs from /);
    const runs = await get(`${url}api/runs`);
    assert.deepEqual(
      runs.json.runs.map((r: { name: string }) => r.name).sort(),
      ['cybermonday', 'interrupted'],
    );
    p.kill('SIGINT');
    const { code, stderr } = await p.exited;
    assert.equal(code, 0);
    assert.doesNotMatch(stderr, /warn/);
  });

  it('warns when told to listen beyond this machine', async () => {
    const p = run('dashboard.ts', ['--port', '0', '--host', '0.0.0.0', '--data', tmp.dir]);
    await p.stderrHas(/warn: dashboard: listening on 0\.0\.0\.0, not only on this machine: anyone who can reach port \d+ can read every run in /);
    p.kill('SIGTERM');
    assert.equal((await p.exited).code, 0);
  });

  it('refuses a bad port with a one-line error naming the flag', async () => {
    const { code, stderr } = await run('dashboard.ts', ['--port', 'http']).exited;
    assert.equal(code, 2);
    assert.equal(stderr, 'error: --port: expected a port number from 0 to 65535 (got "http")\n');
  });

  it('npm run experiment refuses --port without --dashboard', async () => {
    const { code, stderr } = await run('experiment.ts', ['--port', '5002']).exited;
    assert.equal(code, 2);
    assert.equal(stderr, 'error: --port and --host go with --dashboard\n');
  });
});
