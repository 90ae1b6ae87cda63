import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exfiltrateViaApi, scheduleExfiltration } from '../../src/exfiltration/index.ts';
import { startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';
import { setLogSink } from '../../src/logger.ts';
import type { RunEvent } from '../../src/types.ts';

// Both exfiltration methods against the real embedded Sock Shop.

describe('exfiltration against the embedded mesh', () => {
  let mesh: EmbeddedMesh;
  before(async () => (mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 60, catalogueItems: 8 })));
  after(() => mesh?.stop());

  it('api: pulls customer records through the front-end up to the byte target', async () => {
    const r = await exfiltrateViaApi(mesh.frontEndUrl, 50_000);
    assert.ok(r.bytes >= 50_000, `${r.bytes} bytes`);
    // Pages of 20 records: it stops within one page of the target.
    const page = await (await fetch(`${mesh.frontEndUrl}/cards?page=1&size=20`)).arrayBuffer();
    assert.ok(r.bytes < 50_000 + 3 * page.byteLength, `${r.bytes} bytes overshoots`);
    assert.ok(r.end > r.start);
  });

  it('schedules both methods and records what really moved, with Munnin’s paths', async () => {
    const events: RunEvent[] = [];
    const sinkBefore = mesh.sinkBytes;
    const handle = scheduleExfiltration(
      [
        { atSeconds: 0, bytes: 20_000, method: 'api', workload: 'user' },
        { atSeconds: 0.2, bytes: 15_000, method: 'egress', workload: 'user' },
      ],
      { target: mesh, startedAtSeconds: Date.now() / 1000, onEvent: (e) => events.push(e) },
    );
    await handle.done;
    const api = events.find((e) => e.method === 'api');
    const egress = events.find((e) => e.method === 'egress');
    assert.equal(api?.kind, 'exfiltration');
    assert.deepEqual(api?.path, ['user-db', 'user', 'front-end', 'external']);
    assert.ok((api?.bytes ?? 0) >= 20_000);
    assert.equal(egress?.kind, 'exfiltration');
    assert.deepEqual(egress?.path, ['user-db', 'user', 'external']);
    assert.equal(egress?.bytes, mesh.sinkBytes - sinkBefore, 'the bytes the sink received');
    assert.ok((egress?.bytes ?? 0) >= 15_000);
    for (const e of events) assert.ok(e.end > e.start);
  });

  it('records an egress from a workload without a data store as a failure, not an attack', async () => {
    const events: RunEvent[] = [];
    const warnings: string[] = [];
    const restore = setLogSink((level, m) => level === 'warn' && warnings.push(m));
    try {
      const handle = scheduleExfiltration([{ atSeconds: 0, bytes: 1000, method: 'egress', workload: 'front-end' }], {
        target: mesh,
        startedAtSeconds: Date.now() / 1000,
        onEvent: (e) => events.push(e),
      });
      await handle.done;
    } finally {
      restore();
    }
    assert.equal(warnings.length, 1, 'the failure is logged');
    assert.deepEqual(events.map((e) => [e.kind, e.bytes]), [['exfiltration-failed', 0]]);
    assert.match(String(events[0]?.['reason']), /front-end.*no data store/);
  });
});
