// Bug: readSnapshots handed on every line of a 1 MiB chunk without returning to the event loop.
// With a slow consumer (detectors on a connection log's 100,000-edge graph: hundreds of short
// lines a chunk, milliseconds each) a replay did not hear Ctrl-C / SIGTERM for many seconds
// (a replay in `npm run bench` took over 10 s to stop). Event-loop work (here an immediate,
// as a signal handler is) must get its turn while a chunk is being consumed.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { readSnapshots } from '../../src/store/index.ts';
import { makeTempDir, writeRunFiles } from '../util.ts';

const tmp = makeTempDir('munnin-turns-');
after(() => tmp.remove());

it('lets the event loop run while a slow consumer works through one chunk of lines', async () => {
  const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ t: 1000 + i, dt: 1, edges: [{ src: 'a', dst: 'b', requests: 1 }] })).join('\n');
  const dir = writeRunFiles(`${tmp.dir}/run`, { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['requests'] }, snapshots: `${lines}\n` });
  let turned = false;
  let consumed = 0;
  for await (const _ of readSnapshots(dir, ['requests'])) {
    consumed++;
    // Once the chunk is in memory (reading it from disk gave the loop a turn anyway).
    if (consumed === 1) setImmediate(() => (turned = true));
    // Busy for 30 ms, as a detector on a large graph is: no await, like the synchronous pipeline.
    const until = performance.now() + 30;
    while (performance.now() < until);
    if (consumed === 3) break;
  }
  // The whole file is one chunk: before the fix, the immediate ran only after the chunk's last line.
  assert.equal(turned, true, 'the event loop got a turn within the next two lines');
});
