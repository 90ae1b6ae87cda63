import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import type { DetectorParameters } from '../../../src/config/index.ts';
import { detectorsSchema } from '../../../src/config/schema.ts';
import { UserError } from '../../../src/errors.ts';
import { detectLive, replayFolder, replayRun, runReplay, writeConnectionLogRun, writeInjectedRun, writeSyntheticRun } from '../../../src/replay/index.ts';
import { OffloadChannel } from '../../../src/replay/offload/index.ts';
import { BATCH_FRAMES, MAX_LEAD_FRAMES } from '../../../src/replay/offload/offloadProtocol.ts';
import { captureLog, makeTempDir } from '../../util.ts';

// `--threads 2`: eigenspace in a worker thread that reads the run itself. What must hold: the
// same verdicts in the same order as one thread, so every file written is the same.

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'munnin-cybermonday-30k');
const tmp = makeTempDir('munnin-offload-');
after(() => tmp.remove());

const config = (detectors: Record<string, unknown>): DetectorParameters => detectorsSchema.parse(detectors);

/** Runs `work`, counting the verdicts a worker handed out meanwhile (OffloadChannel.next): 0 means one thread. */
async function handOuts<T>(work: () => Promise<T>): Promise<{ result: T; count: number }> {
  const next = OffloadChannel.prototype.next;
  let count = 0;
  OffloadChannel.prototype.next = function (this: OffloadChannel, ...args: Parameters<typeof next>) {
    count++;
    return next.apply(this, args);
  };
  try {
    return { result: await work(), count };
  } finally {
    OffloadChannel.prototype.next = next;
  }
}

async function verdictsOf(dir: string, detectors: DetectorParameters, offload: boolean) {
  const log = captureLog();
  try {
    const metrics = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).metrics;
    const verdicts = await lastValueFrom(replayRun(dir).pipe(detectLive(detectors, { metrics, offloadFrom: offload ? dir : undefined }), toArray()));
    return { verdicts, log: log.messages.slice() };
  } finally {
    log.restore();
  }
}

describe('replay on two threads (eigenspace offloaded)', () => {
  it('gives the one-thread verdicts in the one-thread order, eigenspace first, in the middle or last', async () => {
    for (const enabled of [
      ['eigenspace', 'ewma', 'cusum'],
      ['ewma', 'eigenspace', 'cusum'],
      ['ewma', 'cusum', 'eigenspace'],
    ]) {
      const detectors = config({ enabled, trainingSeconds: 100 });
      const one = await verdictsOf(fixture, detectors, false);
      const { result: two, count } = await handOuts(() => verdictsOf(fixture, detectors, true));
      assert.equal(count, 72, "every interval's eigenspace verdict came from the worker");
      assert.equal(one.verdicts.length, 72 * 3);
      assert.deepEqual(two.verdicts, one.verdicts, enabled.join(','));
      assert.deepEqual(two.log, one.log, 'the same messages, each once');
    }
  });

  it('writes the same files as one thread on a synthetic mesh and on a connection log (all eleven detectors)', async () => {
    const mesh = join(tmp.dir, 'mesh');
    writeSyntheticRun(mesh, { services: 14, intervals: 400 });
    const clog = join(tmp.dir, 'clog');
    writeConnectionLogRun(clog, { intervals: 300, nodes: 2_000 });
    for (const [dir, trainingSeconds] of [
      [mesh, 300],
      [clog, 60 * 150],
    ] as const) {
      const detectors = config({ trainingSeconds });
      const outs = [];
      for (const threads of [1, 2] as const) {
        const out = join(dir, `replay-${threads}`);
        const log = captureLog();
        try {
          const { count } = await handOuts(() => runReplay(dir, { outDir: out, detectors, threads }));
          assert.equal(count > 0, threads === 2, `${dir}: a worker with ${threads} thread(s)? ${count} verdicts from one`);
        } finally {
          log.restore();
        }
        outs.push(out);
      }
      for (const file of ['scores.csv', 'alerts.ndjson', 'summary.json']) {
        assert.equal(readFileSync(join(outs[1]!, file), 'utf8'), readFileSync(join(outs[0]!, file), 'utf8'), `${dir}: ${file}`);
      }
      const alarms = readFileSync(join(outs[1]!, 'alerts.ndjson'), 'utf8').split('\n').filter((l) => l.includes('"eigenspace"'));
      // On the mesh (its exfiltrations), eigenspace's alarms and their blame crossed the threads too.
      if (dir === mesh) assert.ok(alarms.length > 0, `${dir}: eigenspace never alarmed`);
    }
  });

  it('replays a folder of runs on two threads as on one: the same comparison and the same files per run', async () => {
    const folder = join(tmp.dir, 'folder');
    writeSyntheticRun(join(folder, 'a'), { services: 6, intervals: 300, seed: 3 });
    writeConnectionLogRun(join(folder, 'b'), { intervals: 200, nodes: 1_000, seed: 4 });
    const detectors = config({ trainingSeconds: 200 });
    const results = [];
    // Which replays took verdicts from a worker: a count of the channel's hand-outs.
    const taken: number[] = [];
    for (const threads of [1, 2] as const) {
      const log = captureLog();
      try {
        const { result, count } = await handOuts(() => replayFolder(folder, { detectors, outDir: join(tmp.dir, `folder-${threads}`), threads, progress: false }));
        results.push(result);
        taken.push(count);
      } finally {
        log.restore();
      }
    }
    assert.equal(taken[0], 0, 'one thread: no worker');
    assert.equal(taken[1], 300 + 200, 'two threads: eigenspace verdict of every interval of both runs from the worker');
    assert.deepEqual(results[1]!.comparison, results[0]!.comparison);
    for (const run of ['a', 'b']) {
      for (const file of ['scores.csv', 'alerts.ndjson', 'summary.json']) {
        assert.equal(readFileSync(join(tmp.dir, 'folder-2', 'runs', run, file), 'utf8'), readFileSync(join(tmp.dir, 'folder-1', 'runs', run, file), 'utf8'), `${run}: ${file}`);
      }
    }
  });

  it('says the messages only the worker has (eigenspace blind to its metrics) in the main thread, as one thread says them', async () => {
    // The fixture carries TCP bytes only: eigenspace told to watch request_bytes is blind, and says so.
    const detectors = config({ enabled: ['ewma', 'eigenspace'], trainingSeconds: 100, options: { eigenspace: { metrics: ['request_bytes'] } } });
    const one = await verdictsOf(fixture, detectors, false);
    const two = await verdictsOf(fixture, detectors, true);
    const blind = (log: { message: string }[]) => log.filter((m) => m.message.startsWith('eigenspace')).map((m) => m.message);
    assert.ok(blind(one.log).length > 0 && blind(one.log).some((m) => m.includes('request_bytes')), blind(one.log).join('\n'));
    assert.deepEqual(blind(two.log), blind(one.log));
  });

  it("turns the worker's failure into the replay's error: a UserError stays one, naming the file", () => {
    const channel = new OffloadChannel({ dir: join(tmp.dir, 'no-such-run'), detectors: config({ enabled: ['eigenspace'] }), vectorize: { forgetEdgesAfterSeconds: 86_400 } });
    try {
      assert.throws(
        () => channel.next('eigenspace', 0),
        (e: unknown) => e instanceof UserError && /no-such-run: no such run directory/.test(e.message),
      );
    } finally {
      channel.close();
    }
  });

  it('keeps the worker at most MAX_LEAD_FRAMES ahead of the frames the main thread took, so its verdicts cannot pile up', () => {
    const dir = join(tmp.dir, 'lead');
    writeSyntheticRun(dir, { services: 4, intervals: 8_000 });
    const channel = new OffloadChannel({ dir, detectors: config({ enabled: ['eigenspace'], trainingSeconds: 60 }), vectorize: { forgetEdgesAfterSeconds: 86_400 } });
    const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    const settled = (above: number) => {
      // Past `above` (the worker under tsx takes a while to start), then until the count stops
      // moving for a second: the worker is waiting (or done).
      for (let waited = 0; channel.batchesPosted <= above && waited < 60_000; waited += 100) pause(100);
      for (let last = -1; channel.batchesPosted !== last; ) {
        last = channel.batchesPosted;
        pause(1_000);
      }
      return channel.batchesPosted;
    };
    try {
      // Nothing taken: it posts the batches of its first MAX_LEAD_FRAMES + 1 frames (64 each), then waits.
      const held = settled(0);
      assert.ok(held >= MAX_LEAD_FRAMES / BATCH_FRAMES && held <= MAX_LEAD_FRAMES / BATCH_FRAMES + 1, `${held} batches posted while nothing was taken`);
      // 2,048 frames taken: it goes on for as many more, no further.
      for (let i = 0; i < 2_048; i++) channel.frameTaken();
      const more = settled(held);
      assert.ok(more >= held + 2_048 / BATCH_FRAMES - 1 && more <= held + 2_048 / BATCH_FRAMES + 1, `${more} batches posted after 2,048 frames taken (${held} before)`);
      assert.ok(more < 8_000 / BATCH_FRAMES, 'not the whole run');
    } finally {
      channel.close();
    }
  });

  it('says when --threads 2 keeps one thread: with an injection, or without eigenspace', async () => {
    const cases = [
      { inject: [{ bytesPerInterval: 30_000, at: [{ startSeconds: 120, endSeconds: 130 }] }], enabled: ['eigenspace', 'ewma'], said: /one thread here, as --inject/ },
      { inject: undefined, enabled: ['ewma'], said: /one thread here, as none of eigenspace/ },
    ];
    for (const [i, c] of cases.entries()) {
      const log = captureLog();
      try {
        await runReplay(fixture, { outDir: join(tmp.dir, `said-${i}`), detectors: config({ enabled: c.enabled, trainingSeconds: 100 }), threads: 2, inject: c.inject });
      } finally {
        log.restore();
      }
      assert.match(log.text('info'), c.said);
    }
  });

  it('with threads auto, takes the worker on a large graph and says so, and keeps one thread on a small mesh without a word', async () => {
    const large = join(tmp.dir, 'auto-large');
    writeConnectionLogRun(large, { intervals: 1_100, nodes: 5_000, seed: 5 });
    const small = join(tmp.dir, 'auto-small');
    writeSyntheticRun(small, { services: 6, intervals: 1_100, seed: 6 });
    // A one-core machine keeps one thread whatever the run (autoThreads.test.ts).
    const twoCores = availableParallelism() >= 2;
    for (const [dir, worker] of [[large, twoCores], [small, false]] as const) {
      const log = captureLog();
      let count: number;
      try {
        ({ count } = await handOuts(() => runReplay(dir, { outDir: join(dir, 'out'), detectors: config({ enabled: ['eigenspace', 'midas'], trainingSeconds: 3_600 }), threads: 'auto' })));
      } finally {
        log.restore();
      }
      assert.equal(count > 0, worker, `${dir}: ${count} verdicts from a worker`);
      if (worker) assert.match(log.text('info'), /two threads \(--threads auto: \d+ nodes in the first 64 intervals, \d+ edges an interval, ~1\d{3} intervals in all\): eigenspace in the second/);
      else assert.doesNotMatch(log.text('info'), /thread/);
    }
  });

  it('reads a stale read of one metric as the main thread does (a gap, its traffic in the next slice): the same scores', async () => {
    const dir = join(tmp.dir, 'stale-metric');
    await writeInjectedRun(fixture, dir, { inject: [], staleReads: [{ slice: 40, metrics: ['tcp_received_bytes'] }] });
    const detectors = config({ enabled: ['eigenspace', 'path'], trainingSeconds: 100 });
    const log = captureLog();
    try {
      await runReplay(dir, { outDir: join(dir, 'one'), detectors, threads: 1 });
      const { count } = await handOuts(() => runReplay(dir, { outDir: join(dir, 'two'), detectors, threads: 2 }));
      assert.equal(count, 72, "every interval's eigenspace verdict came from the worker");
    } finally {
      log.restore();
    }
    const scores = (out: string) => readFileSync(join(dir, out, 'scores.csv'), 'utf8');
    assert.equal(scores('two'), scores('one'));
    // The worker's eigenspace reads the stale slice (ending 205 s in) as a gap, and does not judge
    // the slice after it, which holds two slices' traffic: NaN for both.
    assert.match(scores('two'), /^1500000205\.[0-9]+,eigenspace,NaN,/m);
    assert.match(scores('two'), /^1500000210\.[0-9]+,eigenspace,NaN,/m);
  });

  it('stops the worker when the replay is stopped, and a replay after it runs as usual', async () => {
    const dir = join(tmp.dir, 'long');
    writeSyntheticRun(dir, { services: 14, intervals: 3_000 });
    const detectors = config({ trainingSeconds: 300 });
    const controller = new AbortController();
    const log = captureLog();
    try {
      let intervals = 0;
      await assert.rejects(
        runReplay(dir, {
          outDir: join(dir, 'stopped'),
          detectors,
          threads: 2,
          signal: controller.signal,
          onProgress: (p) => {
            intervals = p.intervals;
            if (p.intervals === 500) controller.abort(new UserError('stopped'));
          },
        }),
        /stopped/,
      );
      assert.ok(intervals < 3_000, `stopped after ${intervals} intervals, not at the end`);
      const { summary } = await runReplay(dir, { outDir: join(dir, 'again'), detectors, threads: 2 });
      assert.equal(summary.intervals, 3_000);
    } finally {
      log.restore();
    }
  });
});
