import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { lastValueFrom, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { UserError } from '../../src/errors.ts';
import { pacedFromAsync, replayRun } from '../../src/replay/index.ts';
import { readEvents } from '../../src/store/index.ts';
import type { Snapshot } from '../../src/types.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'munnin-cybermonday-30k');
const tmp = makeTempDir('munnin-replay-');
after(() => tmp.remove());
const manifest = { format: 'munnin-run/1', intervalSeconds: 5, metrics: ['requests'] };
const line = (o: unknown) => `${JSON.stringify(o)}\n`;

/** Subscribe, then alternate letting I/O resolve and running the virtual clock until the stream ends. */
async function runVirtual<T>(source: import('rxjs').Observable<T>, scheduler: TestScheduler): Promise<{ at: number; value: T }[]> {
  const seen: { at: number; value: T }[] = [];
  let done = false;
  let failure: unknown;
  source.subscribe({ next: (value) => seen.push({ at: scheduler.now(), value }), complete: () => (done = true), error: (e) => ((failure = e), (done = true)) });
  while (!done) {
    await new Promise((r) => setImmediate(r));
    scheduler.flush();
  }
  if (failure) throw failure;
  return seen;
}

function virtualScheduler(): TestScheduler {
  const scheduler = new TestScheduler((a, b) => assert.deepEqual(a, b));
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  return scheduler;
}

describe('replayRun', () => {
  it('streams the 2018 Munnin run: 72 intervals in time order, its two metrics, 5 exfiltrations', async () => {
    const log = captureLog();
    const snapshots = await lastValueFrom(replayRun(fixture).pipe(toArray()));
    const events = await readEvents(fixture);
    log.restore();
    assert.equal(log.messages.length, 0, log.text());
    assert.equal(snapshots.length, 72);
    assert.equal(snapshots[0]!.t, 1500000005.005);
    assert.equal(snapshots.at(-1)!.t, 1500000360.333);
    assert.ok(snapshots.every((s, i) => s.dt === 5 && !s.gap && (i === 0 || s.t > snapshots[i - 1]!.t)));
    const first = snapshots[0]!.edges.find((e) => e.src === 'front-end' && e.dst === 'user');
    assert.deepEqual(first?.values, { tcp_sent_bytes: 86406, tcp_received_bytes: 16661 });
    assert.equal(events.length, 5);
    assert.ok(events.every((e) => e.kind === 'exfiltration' && e.bytes === 30000));
  });

  it('reports run.json problems as user errors naming the field', async () => {
    const dir = writeRunFiles(join(tmp.dir, 'badmanifest'), { manifest: { format: 'munnin-run/1', intervalSeconds: 5 }, snapshots: '' });
    await assert.rejects(lastValueFrom(replayRun(dir)), (e: unknown) => e instanceof UserError && /run\.json: metrics: missing/.test(e.message));
  });

  it('paces by t in virtual time: speed 10 plays 5 s intervals 500 ms apart, gaps included', async () => {
    const dir = writeRunFiles(join(tmp.dir, 'paced'), {
      manifest,
      snapshots: line({ t: 100, dt: 5, edges: [] }) + line({ t: 105, dt: 5, gap: true, edges: [] }) + line({ t: 110, dt: 5, edges: [] }) + line({ t: 122.5, dt: 12.5, edges: [] }),
    });
    const scheduler = virtualScheduler();
    const paced = await runVirtual(replayRun(dir, { speed: 10, scheduler }), scheduler);
    assert.deepEqual(
      paced.map((s) => [s.at, s.value.t, s.value.gap]),
      [
        [0, 100, false],
        [500, 105, true],
        [1000, 110, false],
        [2250, 122.5, false],
      ],
    );
    const realTime = virtualScheduler();
    assert.deepEqual(
      (await runVirtual(replayRun(dir, { speed: 1, scheduler: realTime }), realTime)).map((s) => s.at),
      [0, 5000, 10000, 22500],
    );
  });

  it('rejects a speed that is not a positive number', () => {
    assert.throws(() => replayRun(fixture, { speed: 0 }), (e: unknown) => e instanceof UserError && /speed: expected a positive number/.test(e.message));
    assert.throws(() => replayRun(fixture, { speed: Number.NaN }), UserError);
  });
});

describe('pacedFromAsync', () => {
  it('reads one item ahead at most while items wait for their time, and stops reading when unsubscribed', async () => {
    let produced = 0;
    let finished = false;
    async function* items(): AsyncGenerator<Snapshot> {
      try {
        for (let i = 0; i < 1000; i++) {
          produced += 1;
          yield { t: i, dt: 1, gap: false, edges: [] };
        }
      } finally {
        finished = true;
      }
    }
    const scheduler = virtualScheduler();
    const seen: number[] = [];
    const sub = pacedFromAsync(items, { speed: 1, scheduler, secondsOf: (s) => s.t }).subscribe((s) => seen.push(s.t));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, [0]);
    assert.equal(produced, 2, 'the second item is read and waits for its time; nothing more');
    scheduler.flush();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, [0, 1]);
    assert.equal(produced, 3);
    sub.unsubscribe();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.equal(finished, true, 'the generator was closed');
    assert.equal(produced, 3);
  });

  it('stops reading when the consumer takes only the first items', async () => {
    let produced = 0;
    async function* items(): AsyncGenerator<number> {
      for (let i = 0; i < 1000; i++) {
        produced += 1;
        yield i;
      }
    }
    const got = await lastValueFrom(pacedFromAsync(items, { secondsOf: (x) => x }).pipe(take(3), toArray()));
    assert.deepEqual(got, [0, 1, 2]);
    assert.ok(produced <= 4, `read ${produced} items for 3 taken`);
  });
});
