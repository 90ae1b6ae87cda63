// How a managed server that dies is restarted, with real processes: the restart limit, stop()
// racing a pending restart, a server someone else asked to stop, VictoriaMetrics, and the
// exit hook killing the restarted process.
// (The plain crash-and-restart of Prometheus, reads included, is in managedPrometheus.e2e.test.ts.)
// Needs /usr/bin/prometheus and /usr/bin/victoria-metrics; skipped without them unless CI=true.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrometheusSource, startManagedPrometheus, startManagedVictoriaMetrics, type ManagedPrometheus } from '../../src/telemetry/index.ts';
import type { TelemetryRead } from '../../src/types.ts';
import { alive, captureLog, makeTempDir, requireBinaryOrSkip, runningDescendants } from '../util.ts';
import { FakeSidecar } from './fakeSidecars.ts';
import { waitFor } from './waitFor.ts';

const EDGE = { reporter: 'source', src: 'front-end', dst: 'catalogue' } as const;

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

function requestsOf(read: TelemetryRead): number | undefined {
  return read.kind === 'read' ? read.samples.filter((s) => s.metric === 'requests').reduce((sum, s) => sum + s.value, 0) : undefined;
}

describe('a managed server that dies', { timeout: 120_000 }, () => {
  let sidecar: FakeSidecar;
  const started: ManagedPrometheus[] = [];
  before(async () => {
    sidecar = await FakeSidecar.start('front-end');
    sidecar.set(EDGE, { requests: 5, request_bytes: 500, response_bytes: 5000 });
  });
  after(async () => {
    for (const server of started) await server.stop();
    await sidecar.close();
  });

  it('is restarted at most maxRestarts times, then stays down with one warning and reads are faults', async (t) => {
    if (!requireBinaryOrSkip(t, 'prometheus', 'prometheus')) return;
    const log = captureLog();
    try {
      const server = await startManagedPrometheus({ targets: [sidecar.target], maxRestarts: 1, restartBackoffMillis: 100 });
      started.push(server);
      const source = createPrometheusSource({ managed: server });
      const first = server.pid;
      process.kill(first, 'SIGKILL');
      await waitFor(() => server.restarts === 1 && server.faultAt(Date.now() / 1000) === undefined, 'the first restart', 30_000, () => log.text());
      const second = server.pid;
      assert.notEqual(second, first);
      assert.deepEqual(runningDescendants('prometheus'), [second]);

      process.kill(second, 'SIGKILL');
      await waitFor(() => /restart limit reached/.test(log.text('warn')), 'the limit warning', 10_000, () => log.text());
      // Well past the backoff: no third process.
      await sleep(1000);
      assert.deepEqual(runningDescendants('prometheus'), []);
      assert.equal(server.restarts, 1);
      assert.equal(server.pid, second);
      const limit = log.messages.filter((m) => m.level === 'warn' && /restart limit reached/.test(m.message));
      assert.equal(limit.length, 1, log.text('warn'));
      assert.match(limit[0]!.message, new RegExp(`^managed prometheus \\(pid ${second}\\) was killed by SIGKILL; restart limit reached \\(at most 1 restart\\(s\\) in 300 s\\): it is not restarted again, telemetry stays down`));
      const read = await source.read(Date.now() / 1000);
      assert.deepEqual(read.kind === 'fault' ? read.reason : read, 'managed prometheus is down (was killed by SIGKILL; restart limit reached)');
      // Two deaths, one restart: a warning for each death, one "back" for the restart.
      assert.equal(log.messages.filter((m) => m.level === 'warn' && m.message.startsWith('managed prometheus')).length, 2, log.text('warn'));
      assert.equal(log.messages.filter((m) => m.level === 'info' && /^managed prometheus is back/.test(m.message)).length, 1, log.text());
      const { dir } = server;
      await server.stop();
      assert.equal(existsSync(dir), false);
      assert.equal(log.text('error'), '');
    } finally {
      log.restore();
    }
  });

  it('spawns nothing when stop() comes while a restart is pending', async (t) => {
    if (!requireBinaryOrSkip(t, 'prometheus', 'prometheus')) return;
    const log = captureLog();
    try {
      const server = await startManagedPrometheus({ targets: [sidecar.target], restartBackoffMillis: 1500 });
      started.push(server);
      const pid = server.pid;
      process.kill(pid, 'SIGKILL');
      await waitFor(() => /restarting it in 1\.5 s/.test(log.text('warn')), 'the restart to be scheduled', 5000, () => log.text());
      assert.match(server.faultAt(Date.now() / 1000) ?? '', /^managed prometheus is restarting \(its process was killed by SIGKILL\)$/);
      await server.stop();
      await sleep(2500);
      assert.equal(alive(pid), false);
      assert.deepEqual(runningDescendants('prometheus'), [], 'no process was started after stop()');
      assert.equal(server.pid, pid, 'no restart happened');
      assert.equal(existsSync(server.dir), false);
      assert.equal(log.messages.filter((m) => /^managed prometheus is back/.test(m.message)).length, 0, log.text());
    } finally {
      log.restore();
    }
  });

  it('stops the restarted process when stop() comes while the restart is under way', async (t) => {
    if (!requireBinaryOrSkip(t, 'prometheus', 'prometheus')) return;
    const log = captureLog();
    try {
      const server = await startManagedPrometheus({ targets: [sidecar.target], restartBackoffMillis: 100 });
      started.push(server);
      const first = server.pid;
      process.kill(first, 'SIGKILL');
      // Spawned, not yet scraping: Prometheus takes seconds before its first scrape.
      await waitFor(() => server.pid !== first, 'the new process', 5000, () => log.text());
      const second = server.pid;
      assert.match(server.faultAt(Date.now() / 1000) ?? '', /^managed prometheus is restarting/);
      await server.stop();
      assert.equal(alive(second), false);
      await sleep(500);
      assert.deepEqual(runningDescendants('prometheus'), []);
      assert.equal(server.pid, second);
      assert.equal(server.faultAt(Date.now() / 1000), 'managed prometheus was stopped');
      assert.equal(existsSync(server.dir), false);
      assert.equal(log.messages.filter((m) => /^managed prometheus is back/.test(m.message)).length, 0, log.text());
      assert.equal(log.text('error'), '');
    } finally {
      log.restore();
    }
  });

  it('VictoriaMetrics too: restarted after SIGKILL and read again; not restarted when someone else stops it (SIGTERM)', async (t) => {
    if (!requireBinaryOrSkip(t, 'victoria-metrics', 'victoria-metrics')) return;
    const log = captureLog();
    try {
      const server = await startManagedVictoriaMetrics({ targets: [sidecar.target], restartBackoffMillis: 200 });
      started.push(server);
      const source = createPrometheusSource({ managed: server });
      const first = server.pid;
      const { url } = server;
      process.kill(first, 'SIGKILL');
      sidecar.add(EDGE, { requests: 1000 });
      await waitFor(() => server.restarts === 1 && server.faultAt(Date.now() / 1000) === undefined, 'the restart', 30_000, () => log.text());
      assert.equal(server.url, url);
      assert.notEqual(server.pid, first);
      let read: TelemetryRead | undefined;
      for (let i = 0; i < 40 && (read === undefined || read.kind === 'fault'); i++) {
        read = await source.read(Date.now() / 1000);
        if (read.kind === 'fault') await sleep(250);
      }
      assert.equal(read?.kind, 'read', JSON.stringify(read));
      assert.ok(requestsOf(read!)! >= 1005, `read ${requestsOf(read!)} requests, the restarted server has scraped ≥ 1005`);
      assert.equal(log.messages.filter((m) => m.level === 'info' && new RegExp(`^managed victoria-metrics is back \\(pid ${server.pid}\\)`).test(m.message)).length, 1, log.text());

      const second = server.pid;
      process.kill(second, 'SIGTERM');
      await waitFor(() => /asked to stop/.test(log.text('info')), 'the message', 10_000, () => log.text());
      await sleep(500);
      assert.deepEqual(runningDescendants('victoria-metrics'), []);
      assert.equal(server.restarts, 1);
      // Told, not warned: someone asked for it (a Ctrl-C stopping munnin is not reported at all).
      assert.match(log.text('info'), new RegExp(`managed victoria-metrics \\(pid ${second}\\) exited with code 0: it was asked to stop \\(SIGTERM or SIGINT sent to it, not to munnin\\), so it is not restarted`));
      assert.equal(server.faultAt(Date.now() / 1000), 'managed victoria-metrics is down (exited with code 0, not restarted)');
      // The reads say why they fail.
      const down = await source.read(Date.now() / 1000);
      assert.equal(down.kind === 'fault' ? down.reason : down.kind, 'managed victoria-metrics is down (exited with code 0, not restarted)');
      assert.equal(log.text('error'), '');
    } finally {
      log.restore();
    }
  });

  it('is killed with this process when it exits, restarted process included', { timeout: 60_000 }, async (t) => {
    if (!requireBinaryOrSkip(t, 'prometheus', 'prometheus')) return;
    const tmp = makeTempDir('munnin-exithook-');
    const pids: number[] = [];
    try {
      // A separate Node process starts a managed Prometheus, crashes it, waits for the restart, and
      // exits without stopping it: only the exit hook can stop the restarted process.
      const script = join(tmp.dir, 'exits.mts');
      const src = (path: string) => JSON.stringify(new URL(path, import.meta.url).pathname);
      writeFileSync(
        script,
        [
          `import { startManagedPrometheus } from ${src('../../src/telemetry/index.ts')};`,
          `import { FakeSidecar } from ${src('./fakeSidecars.ts')};`,
          `const sidecar = await FakeSidecar.start('front-end');`,
          `const server = await startManagedPrometheus({ targets: [sidecar.target], restartBackoffMillis: 100 });`,
          `const first = server.pid;`,
          `process.kill(first, 'SIGKILL');`,
          `while (server.restarts < 1 || server.faultAt(Date.now() / 1000) !== undefined) await new Promise((r) => setTimeout(r, 50));`,
          `process.stdout.write(JSON.stringify({ first, current: server.pid, dir: server.dir }));`,
          `process.exit(0);`,
        ].join('\n'),
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: new URL('../..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 0, stderr);
      const { first, current, dir } = JSON.parse(stdout) as { first: number; current: number; dir: string };
      pids.push(first, current);
      assert.notEqual(current, first);
      await waitFor(() => !alive(current), `pid ${current} to end`, 2000);
      assert.equal(alive(first), false);
      assert.equal(existsSync(dir), false, 'the exit hook removed the storage');
      assert.match(stderr, /was killed by SIGKILL unexpectedly; restarting it in 0\.1 s/);
    } finally {
      // Should the hook have failed, the test does not leave the process behind.
      for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
      tmp.remove();
    }
  });
});
