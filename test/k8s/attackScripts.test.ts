// The scan and lateral scripts from istio/20-exfiltration.yaml, really run with bash here
// against servers on 127.0.0.1 (an HTTP server standing in for a mesh service, ports nothing
// listens on, a `mongo` stand-in on PATH: the one program the attacker image has and this
// machine does not).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MANIFESTS_DIR, loadManifests } from '../../src/k8s/index.ts';
import { tmpDir } from './tmpDir.ts';

const objects = loadManifests(DEFAULT_MANIFESTS_DIR).map((m) => m.object as Record<string, any>);
const scripts = objects.find((o) => o['kind'] === 'ConfigMap' && o['metadata'].name === 'munnin-attacker' && o['metadata'].namespace === 'sock-shop')!['data'] as Record<string, string>;

/** A port nothing listens on (just released). */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('attack scripts', () => {
  const dir = tmpDir('attacks');
  let server: Server;
  let port = 0;
  const requests: string[] = [];

  before(async () => {
    for (const name of ['probe.sh', 'scan.sh', 'lateral.sh']) writeFileSync(join(dir, name), scripts[name]!);
    // mongo stand-in: logs its arguments, succeeds unless MONGO_DOWN is set.
    writeFileSync(join(dir, 'mongo'), ['#!/bin/bash', `echo "$*" >> '${join(dir, 'mongo.log')}'`, '[ -z "$MONGO_DOWN" ]', ''].join('\n'));
    chmodSync(join(dir, 'mongo'), 0o755);
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'text/plain', connection: 'close' }).end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  const run = (script: string, args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', [join(dir, script), ...args], { env: { PATH: `${dir}:${process.env['PATH']}`, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('scan.sh tries each target on its port and the other ports, and tallies what answered', async () => {
    requests.length = 0;
    const [a, b] = [await closedPort(), await closedPort()];
    const result = await run('scan.sh', ['0', `${a},${b}`, `127.0.0.1:${port}`, `localhost:${a}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      `probe 127.0.0.1:${port} answered`,
      `probe 127.0.0.1:${a} silent`,
      `probe 127.0.0.1:${b} silent`,
      `probe localhost:${a} silent`,
      `probe localhost:${a} silent`,
      `probe localhost:${b} silent`,
      '{"attempts": 6, "answered": 1}',
    ]);
    // nmap's GetRequest probe on the open port.
    assert.deepEqual(requests, ['GET /']);
  });

  it('scan.sh waits between targets', async () => {
    const started = Date.now();
    const result = await run('scan.sh', ['1', '-', `127.0.0.1:${port}`, `127.0.0.1:${port}`]);
    assert.equal(result.stdout.trim().split('\n').pop(), '{"attempts": 2, "answered": 2}');
    assert.ok(Date.now() - started >= 1000, 'one pause of 1 s between the two targets');
  });

  it('lateral.sh calls GET /health (http), the mongo shell (mongo) or a probe (tcp), as many times as asked', async () => {
    requests.length = 0;
    const http = await run('lateral.sh', ['127.0.0.1', String(port), 'http', '3', '0']);
    assert.equal(http.stdout.trim().split('\n').pop(), '{"attempts": 3, "answered": 3}');
    assert.deepEqual(requests, ['GET /health', 'GET /health', 'GET /health']);

    writeFileSync(join(dir, 'mongo.log'), '');
    const mongo = await run('lateral.sh', ['orders-db', '27017', 'mongo', '2', '0']);
    assert.equal(mongo.stdout.trim().split('\n').pop(), '{"attempts": 2, "answered": 2}');
    assert.deepEqual(readFileSync(join(dir, 'mongo.log'), 'utf8').trim().split('\n'), Array(2).fill('--quiet --host orders-db --port 27017 --eval db.getMongo().getDBNames().length'));
    const down = await run('lateral.sh', ['orders-db', '27017', 'mongo', '1', '0'], { MONGO_DOWN: '1' });
    assert.deepEqual(down.stdout.trim().split('\n'), ['call 1 orders-db:27017 silent', '{"attempts": 1, "answered": 0}']);

    const closed = await closedPort();
    const tcp = await run('lateral.sh', ['127.0.0.1', String(closed), 'tcp', '2', '0']);
    assert.equal(tcp.stdout.trim().split('\n').pop(), '{"attempts": 2, "answered": 0}');
  });

  it('lateral.sh refuses an unknown kind', async () => {
    const result = await run('lateral.sh', ['127.0.0.1', String(port), 'ftp', '1', '0']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^usage: lateral.sh/);
  });
});
