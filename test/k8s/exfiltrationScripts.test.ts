// The attacker script and the sink from istio/20-exfiltration.yaml, really run: bash and
// python3 here, with a stand-in `mongoexport` on PATH (the one program the cluster's attacker
// image has and this machine does not). The sink listens on 127.0.0.1 only.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MANIFESTS_DIR, loadManifests } from '../../src/k8s/index.ts';
import { tmpDir } from './tmpDir.ts';

const objects = loadManifests(DEFAULT_MANIFESTS_DIR).map((m) => m.object as Record<string, any>);
const dataOf = (name: string, namespace: string) => objects.find((o) => o['kind'] === 'ConfigMap' && o['metadata'].name === name && o['metadata'].namespace === namespace)!['data'];

describe('exfiltration scripts', () => {
  const dir = tmpDir('exfil');
  let sink: ChildProcess;
  let sinkPort = 0;

  before(async () => {
    writeFileSync(join(dir, 'sink.py'), dataOf('sink', 'munnin')['sink.py']);
    writeFileSync(join(dir, 'exfiltrate.sh'), dataOf('munnin-attacker', 'sock-shop')['exfiltrate.sh']);
    // mongoexport stand-in: one JSON line per record, as `mongoexport --quiet` prints them;
    // logs its arguments; an empty DB_EMPTY makes it print nothing.
    writeFileSync(
      join(dir, 'mongoexport'),
      [
        '#!/bin/bash',
        `echo "$*" >> '${join(dir, 'calls.log')}'`,
        '[ -n "$DB_EMPTY" ] && exit 0',
        `for i in 1 2 3 4 5 6 7 8 9 10; do printf '{"_id":"%s-%d","collection":"%s"}\\n' "$7" "$i" "$7"; done`,
        '',
      ].join('\n'),
    );
    chmodSync(join(dir, 'mongoexport'), 0o755);
    sink = spawn('python3', [join(dir, 'sink.py'), '0', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: sink.stdout! }).once('line', resolve);
      sink.once('exit', (code) => reject(new Error(`sink exited (${code})`)));
    });
    sinkPort = Number(/sink listening on (\d+)/.exec(first)?.[1]);
    assert.ok(sinkPort > 0, first);
  });

  after(() => {
    sink.kill('SIGTERM');
  });

  const attack = (bytes: number, extraEnv: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', [join(dir, 'exfiltrate.sh'), String(bytes)], {
        env: {
          PATH: `${dir}:${process.env['PATH']}`,
          DATA_STORE_HOST: 'user-db',
          DATA_STORE_DB: 'users',
          DATA_STORE_COLLECTIONS: 'customers addresses cards',
          SINK_HOST: '127.0.0.1',
          SINK_PORT: String(sinkPort),
          ...extraEnv,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('reads the data store collection by collection until it has the bytes, and the sink receives exactly them', async () => {
    writeFileSync(join(dir, 'calls.log'), '');
    // One round of the stand-in is 3 collections x 10 short lines: 20 000 bytes take many rounds.
    const result = await attack(20_000);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout.trim().split('\n').pop()!), { received: 20_000 });
    const calls = readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n');
    assert.equal(calls[0], '--quiet --host user-db --db users --collection customers');
    assert.equal(calls[1], '--quiet --host user-db --db users --collection addresses');
    assert.equal(calls[2], '--quiet --host user-db --db users --collection cards');
    const line = (c: string, k: number) => `{"_id":"${c}-${k}","collection":"${c}"}\n`;
    const oneRound = ['customers', 'addresses', 'cards'].flatMap((c) => Array.from({ length: 10 }, (_, k) => line(c, k + 1).length)).reduce((a, b) => a + b, 0);
    assert.equal(calls.length, 3 * Math.ceil(20_000 / oneRound));
    const total = await (await fetch(`http://127.0.0.1:${sinkPort}/`)).json();
    assert.ok((total as { total: number }).total >= 20_000);
  });

  it('fails with a message when the data store is empty', async () => {
    const result = await attack(1000, { DB_EMPTY: '1' });
    assert.equal(result.code, 3);
    assert.equal(result.stderr.trim(), 'read nothing from user-db/users (customers addresses cards): is the data store empty?');
  });

  it('fails when the sink is not there', async () => {
    const result = await attack(1000, { SINK_PORT: '9' });
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout, '');
  });
});
