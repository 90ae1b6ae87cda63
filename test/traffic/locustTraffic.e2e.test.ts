import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { setTimeout as wait } from 'node:timers/promises';
import { promisify } from 'node:util';
import { resolveParameters } from '../../src/config/index.ts';
import { createLocustTraffic, locustAvailable, locustDir, usersAt } from '../../src/traffic/index.ts';
import type { LoadShape } from '../../src/config/index.ts';
import { startFakeFrontEnd, type FakeFrontEnd } from './fakeFrontEnd.ts';

// Real Locust (Debian python3-locust) against the fake front-end. With CI=true a missing
// locust fails these tests; otherwise they are skipped.

const run = promisify(execFile);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const haveLocust = await locustAvailable();
const ci = process.env['CI'] === 'true';
const skipLocust = !haveLocust && !ci ? 'locust is not installed (apt-get install -y python3-locust)' : false;
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const havePython = await run(python, ['--version']).then(() => true, () => false);
const skipPython = !havePython && !ci ? 'python3 is not installed (apt-get install -y python3)' : false;

describe('createLocustTraffic with real Locust', { skip: skipLocust }, () => {
  let shop: FakeFrontEnd;
  let dir: string;
  before(async () => {
    assert.ok(haveLocust, 'CI=true: locust must be installed (apt-get install -y python3-locust)');
    shop = await startFakeFrontEnd();
    dir = mkdtempSync(join(tmpdir(), 'munnin-locust-'));
  });
  after(async () => {
    await shop?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the Sock Shop users, stops on request and reports Locust’s statistics', async () => {
    const traffic = resolveParameters({ traffic: { users: 3, shape: 'constant', thinkTimeScale: 0.05 } }).traffic;
    const gen = createLocustTraffic({ frontEndUrl: shop.url, traffic, durationSeconds: 10, statsFile: join(dir, 'locust-stats.json') });
    await gen.start();
    const pid = gen.pid;
    assert.ok(pid);
    await wait(4000);
    const stats = await gen.stop();
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'locust has exited');
    const seen = shop.requests.length;

    assert.equal(stats.generator, 'locust');
    assert.ok(stats.requests > 20, `only ${stats.requests} requests`);
    assert.equal(stats.failures, 0, JSON.stringify(stats['errors']));
    // Locust counts a request when its answer arrives: users stopped mid-request are not counted.
    assert.ok(stats.requests <= seen && stats.requests >= seen - 3, `locust ${stats.requests}, front-end ${seen}`);
    const endpoints = stats['endpoints'] as { method: string; name: string; requests: number }[];
    assert.equal(endpoints.reduce((sum, e) => sum + e.requests, 0), stats.requests);
    const names = new Set(endpoints.map((e) => `${e.method} ${e.name}`));
    for (const r of ['GET /', 'GET /catalogue', 'GET /catalogue/[id]', 'POST /register', 'GET /login', 'POST /cart', 'GET /cart', 'POST /addresses', 'POST /cards', 'POST /orders']) {
      assert.ok(names.has(r), `${r} missing from ${[...names].join(', ')}`);
    }
    assert.ok(shop.orders.length > 0, 'orders need the session cookie from /login');
    assert.deepEqual((stats['loadChanges'] as { users: number }[]).map((c) => c.users), [3]);
    assert.equal(await gen.stop(), stats, 'stop() is idempotent');
  });
});

describe('Locust never outlives munnin', { skip: skipLocust }, () => {
  it('quits (writing its statistics) when the munnin process is killed without stopping it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'munnin-locust-'));
    const statsFile = join(dir, 'stats.json');
    const script = [
      `import { createLocustTraffic } from ${JSON.stringify(new URL('../../src/traffic/index.ts', import.meta.url).href)};`,
      `import { resolveParameters } from ${JSON.stringify(new URL('../../src/config/index.ts', import.meta.url).href)};`,
      `const gen = createLocustTraffic({ frontEndUrl: 'http://127.0.0.1:9', traffic: resolveParameters({}).traffic, durationSeconds: 60, statsFile: ${JSON.stringify(statsFile)} });`,
      'await gen.start();',
      'console.log(gen.pid);',
      "process.kill(process.pid, 'SIGKILL');",
    ].join('\n');
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)) }).catch(
        (e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }),
      );
      const pid = Number(stdout.trim());
      assert.ok(pid > 0, `no pid in ${JSON.stringify(stdout)}`);
      // The locustfile polls its parent once a second; a reaped or zombie process is gone.
      const gone = () => {
        if (!existsSync('/proc/self')) return !alive(pid);
        return !existsSync(`/proc/${pid}`) || /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      };
      for (let i = 0; i < 100 && !gone(); i++) await wait(100);
      assert.ok(gone(), `locust ${pid} still running`);
      assert.ok(existsSync(statsFile), 'it wrote its statistics on the way out');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createLocustTraffic without a working locust', () => {
  const traffic = resolveParameters({}).traffic;

  it('locustAvailable is false for a missing binary', async () => {
    assert.equal(await locustAvailable('/nonexistent/locust'), false);
  });

  it('start() gives up on a locust that never starts its users, and kills it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'munnin-locust-'));
    try {
      const stuck = join(dir, 'stuck-locust');
      writeFileSync(stuck, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
      const gen = createLocustTraffic({ frontEndUrl: 'http://127.0.0.1:9', traffic, durationSeconds: 10, statsFile: join(dir, 's.json'), locustBinary: stuck, startTimeoutMillis: 300 });
      await assert.rejects(gen.start(), /did not start its users: no sign of it after 300 ms/);
      assert.ok(gen.pid && !alive(gen.pid), 'the stuck process was killed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('start() rejects with the reason when locust exits at once or cannot run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'munnin-locust-'));
    try {
      const cases = [
        ['/bin/false', /did not start its users: exited \(code 1\)/],
        ['/nonexistent/locust', /did not start its users: could not run \/nonexistent\/locust \(spawn \/nonexistent\/locust ENOENT\)/],
      ] as const;
      for (const [binary, reason] of cases) {
        const gen = createLocustTraffic({ frontEndUrl: 'http://127.0.0.1:9', traffic, durationSeconds: 10, statsFile: join(dir, 's.json'), locustBinary: binary });
        await assert.rejects(gen.start(), reason);
        const stats = await gen.stop();
        assert.deepEqual([stats.generator, stats.requests, stats['started']], ['locust', 0, false]);
        assert.match(String(stats['error']), reason);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('locust/ Python side', { skip: skipPython }, () => {
  it('munnin_shape.users_at gives exactly what usersAt gives', async () => {
    assert.ok(havePython, 'CI=true: python3 must be installed');
    const shapes: LoadShape[] = ['constant', 'normal', 'bursty'];
    const peaks = [1, 2, 3, 7, 10, 12, 25, 100];
    const durations = [10, 48, 150, 240];
    const grid: [LoadShape, number, number, number][] = [];
    for (const s of shapes) for (const p of peaks) for (const d of durations) for (let i = -2; i <= 130; i++) grid.push([s, (i * d) / 120, d, p]);
    const script = 'import json,sys\nfrom munnin_shape import users_at\nprint(json.dumps([users_at(*g) for g in json.load(sys.stdin)]))';
    const child = execFile(python, ['-B', '-c', script], { cwd: locustDir() });
    child.stdin?.end(JSON.stringify(grid));
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    await new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`python exited ${code}`)))));
    const fromPython = JSON.parse(out) as number[];
    const mismatches = grid.filter((g, i) => usersAt(...g) !== fromPython[i]);
    assert.deepEqual(mismatches, []);
    assert.equal(fromPython.length, grid.length);
  });

  it('exfiltrate.py pulls the byte target through the front-end and prints the result', async () => {
    const shop = await startFakeFrontEnd({ customers: 30 });
    try {
      const { stdout } = await run(python, ['-B', join(locustDir(), 'exfiltrate.py'), '--host', shop.url, '--bytes', '5000']);
      const result = JSON.parse(stdout) as { bytes: number; start: number; end: number };
      const pulled = shop.requests.filter((q) => q.status === 200 && q.bytes > 2);
      assert.equal(result.bytes, pulled.reduce((sum, q) => sum + q.bytes, 0));
      assert.ok(result.bytes >= 5000 && result.end > result.start);
      assert.deepEqual([...new Set(shop.requests.map((q) => q.path))].slice(0, 2), ['/customers', '/addresses']);
    } finally {
      await shop.close();
    }
  });
});
