import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startEmbeddedMesh } from '../../src/mesh/index.ts';
import { startManagedPrometheus } from '../../src/telemetry/index.ts';
import { makeTempDir, readRunBack, requireBinaryOrSkip } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'record.ts');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('npm run record (the command)', { timeout: 120_000 }, () => {
  it('fails fast, in one line and before creating anything, when the Prometheus cannot be read or is not given', async () => {
    const tmp = makeTempDir();
    try {
      const params = join(tmp.dir, 'params.ts');
      writeFileSync(params, `export const parameters = { outputDir: ${JSON.stringify(tmp.dir)} };\n`);
      const url = `http://127.0.0.1:${await freePort()}`;
      const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--parameters', params, '--prometheus-url', url, '--name', 'nothing'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`error: cannot read ${url}: connection refused`));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.equal(existsSync(join(tmp.dir, 'nothing')), false);
      const none = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--parameters', params], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      assert.equal(none.status, 2);
      assert.match(none.stderr, /record needs --prometheus-url/);
    } finally {
      tmp.remove();
    }
  });

  it('Ctrl-C leaves a readable run marked complete: false', async (t) => {
    const binary = requireBinaryOrSkip(t, 'prometheus', 'prometheus');
    if (!binary) return;
    const tmp = makeTempDir();
    const mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 20, catalogueItems: 10 });
    const managed = await startManagedPrometheus({ binary, targets: mesh.scrapeTargets, scrapeIntervalSeconds: 1 });
    try {
      await new Promise((r) => setTimeout(r, 2500));
      const params = join(tmp.dir, 'params.ts');
      writeFileSync(params, `export const parameters = { outputDir: ${JSON.stringify(tmp.dir)}, detectors: { trainingSeconds: 5 } };\n`);
      const incidents = join(tmp.dir, 'incidents.ndjson');
      writeFileSync(incidents, '{"kind":"exfiltration","start":1,"end":2,"bytes":10}\n');
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--parameters', params, '--prometheus-url', managed.url, '--interval', '1', '--duration', '60', '--name', 'live', '--events', incidents], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const snapshots = join(tmp.dir, 'live', 'snapshots.ndjson');
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline && !(existsSync(snapshots) && readFileSync(snapshots, 'utf8').split('\n').length > 4)) await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGINT');
      assert.equal(await exited, 130, stderr);
      const run = await readRunBack(join(tmp.dir, 'live'));
      assert.equal(run.manifest.complete, false);
      assert.ok(run.snapshots.length >= 4, `${run.snapshots.length} intervals kept`);
      assert.deepEqual(run.events, [{ kind: 'exfiltration', start: 1, end: 2, bytes: 10 }]);
      assert.match(stdout, /interrupted: complete: false/);
      assert.match(stderr, /telemetry: Prometheus API at /);
    } finally {
      await managed.stop();
      await mesh.stop();
      tmp.remove();
    }
  });
});
