import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay, writeInjectedRun } from '../../src/replay/index.ts';
import { makeTempDir, readJson, readNdjson, writeRunFiles } from '../util.ts';

const tmp = makeTempDir('munnin-injected-run-');
after(() => tmp.remove());

const T0 = 1_700_000_000;
const line = (i: number, gap = false) =>
  gap
    ? JSON.stringify({ t: T0 + 5 * i, dt: 5, gap: true, edges: [] })
    : JSON.stringify({
        t: T0 + 5 * i,
        dt: 5,
        edges: [
          { src: 'external', dst: 'front-end', requests: 10, response_bytes: 5000 },
          { src: 'front-end', dst: 'user', requests: 4, response_bytes: 800 },
          { src: 'user', dst: 'user-db', tcp_sent_bytes: 100 },
        ],
      });

describe('writeInjectedRun', () => {
  it('adds the bytes on every hop of the window, keeps gaps and the run’s own events, and says what it did', async () => {
    const run = writeRunFiles(join(tmp.dir, 'run'), {
      manifest: { format: 'munnin-run/1', name: 'base', intervalSeconds: 5, metrics: ['requests', 'response_bytes', 'tcp_sent_bytes'] },
      snapshots: [1, 2, 3, 4].map((i) => line(i, i === 4)).join('\n') + '\n',
      events: `${JSON.stringify({ kind: 'note', start: T0, end: T0 + 1 })}\n`,
    });
    const out = join(tmp.dir, 'copy');
    // Window 5-10 s after the start (T0): the second interval (T0 + 5, T0 + 10].
    await writeInjectedRun(run, out, { inject: [{ bytesPerInterval: 20_000, at: [{ startSeconds: 5, endSeconds: 10 }] }], name: 'copy-20k' });
    const snapshots = readNdjson(out, 'snapshots.ndjson');
    assert.equal(snapshots.length, 4);
    const bytes = (s: { edges: { src: string; dst: string; [k: string]: unknown }[] }, src: string, dst: string, key: string) => s.edges.find((e) => e.src === src && e.dst === dst)?.[key];
    // user-db → user is a database hop (tcp_sent_bytes); the others HTTP responses.
    assert.deepEqual([1, 2, 3].map((i) => bytes(snapshots[i - 1], 'user', 'user-db', 'tcp_sent_bytes')), [100, 20_100, 100]);
    assert.deepEqual([1, 2, 3].map((i) => bytes(snapshots[i - 1], 'front-end', 'user', 'response_bytes')), [800, 20_800, 800]);
    assert.deepEqual([1, 2, 3].map((i) => bytes(snapshots[i - 1], 'external', 'front-end', 'response_bytes')), [5000, 25_000, 5000]);
    assert.equal(snapshots[3].gap, true);
    const events = readNdjson(out, 'events.ndjson');
    assert.equal(events.length, 2);
    assert.deepEqual(events[0], { kind: 'note', start: T0, end: T0 + 1 });
    assert.deepEqual(events[1], { kind: 'exfiltration', start: T0 + 5, end: T0 + 10, bytes: 20_000, path: ['user-db', 'user', 'front-end', 'external'], method: 'synthetic', injected: true });
    const manifest = readJson(out, 'run.json');
    assert.equal(manifest.name, 'copy-20k');
    assert.deepEqual(manifest.metrics, ['requests', 'response_bytes', 'tcp_sent_bytes']);
    assert.deepEqual(manifest.injected.inject, [{ bytesPerInterval: 20_000, at: [{ startSeconds: 5, endSeconds: 10 }] }]);
    // A replay knows the copy for what it is (a comparison leaves its benign traffic out of the pooled promise), and the base for a recording.
    const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 0 } }).detectors;
    assert.equal((await runReplay(out, { outDir: join(tmp.dir, 'copy-replay'), detectors })).injectedCopy, true);
    assert.equal((await runReplay(run, { outDir: join(tmp.dir, 'base-replay'), detectors })).injectedCopy, false);
  });
});
