import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import { UserError } from '../../src/errors.ts';
import { hopMetric, injectExfiltration, type InjectedWindow } from '../../src/replay/index.ts';
import type { RunEvent, Snapshot } from '../../src/types.ts';

// Run start = first t − dt = 100. Intervals (100,105] … (125,130]; 120 is a gap.
const benign: Snapshot[] = [105, 110, 115, 120, 125, 130].map((t) => ({
  t,
  dt: 5,
  gap: t === 120,
  edges: t === 120 ? [] : [{ src: 'front-end', dst: 'user', values: { requests: 3, response_bytes: 50 } }],
}));

const edgeValues = (s: Snapshot, src: string, dst: string) => s.edges.find((e) => e.src === src && e.dst === dst)?.values;

describe('injectExfiltration', () => {
  it('adds bytes along the path as bytes sent back to each caller, whole intervals whose middle is in a window, and reports the events', async () => {
    const given: RunEvent[] = [];
    const revisions: [RunEvent, RunEvent | undefined][] = [];
    let settled: readonly InjectedWindow[] = [];
    const out = await lastValueFrom(
      from(benign).pipe(
        injectExfiltration({
          bytesPerInterval: 1000,
          intervalSeconds: 5,
          at: [
            { startSeconds: 10, endSeconds: 25 },
            { startSeconds: 27, endSeconds: 29 },
          ],
          runMetrics: ['requests', 'response_bytes', 'tcp_sent_bytes'],
          onEvent: (e) => given.push(e),
          onRevised: (previous, revised) => revisions.push([previous, revised]),
          onSettled: (w) => (settled = w),
        }),
        toArray(),
      ),
    );
    // Middles 102.5, 107.5, …, 127.5. Window 1 = [110, 125) takes 115 and 125 (1000 each) and
    // 120, a gap that stays one; window 2 = [127, 129) takes 130 (middle 127.5), whole.
    const added = [0, 0, 1000, 0, 1000, 1000];
    out.forEach((s, i) => {
      assert.equal(s.t, benign[i]!.t);
      if (s.gap) {
        assert.deepEqual(s.edges, []);
        return;
      }
      assert.deepEqual(edgeValues(s, 'front-end', 'user'), { requests: 3, response_bytes: 50 + added[i]! });
      assert.deepEqual(edgeValues(s, 'user', 'user-db'), added[i] ? { tcp_sent_bytes: added[i] } : undefined);
      // A link silent in the interval gets the one request that carries the bytes (the run
      // records requests); the run records no tcp_connections, so user → user-db gets bytes alone.
      assert.deepEqual(edgeValues(s, 'external', 'front-end'), added[i] ? { response_bytes: added[i], requests: 1 } : undefined);
    });
    assert.equal(out[3]!.gap, true);
    const path = ['user-db', 'user', 'front-end', 'external'];
    const attack = (start: number, end: number, bytes: number): RunEvent => ({ kind: 'exfiltration', start, end, bytes, path, method: 'synthetic', injected: true });
    // Before the stream reaches them, the events mark no interval (NaN end).
    assert.deepEqual(given.map((e) => [e.start, e.end]), [[110, Number.NaN], [127, Number.NaN]]);
    // Each interval taken revises its window's event before it is passed on.
    assert.deepEqual(revisions.map(([, r]) => r), [attack(110, 115, 1000), attack(110, 120, 1000), attack(110, 125, 2000), attack(125, 130, 1000)]);
    assert.equal(revisions[0]![0], given[0]);
    assert.equal(revisions[1]![0], revisions[0]![1]);
    // Settled: the attacks over the intervals taken, as last revised (window 1's gap took no bytes).
    assert.deepEqual(settled.map((w) => w.injected), [attack(110, 125, 2000), attack(125, 130, 1000)]);
    assert.equal(settled[0]!.injected, revisions[2]![1]);
    assert.deepEqual(settled.map((w) => [w.planned.start, w.planned.end, w.planned.bytes, w.gapSeconds, w.cutAtRunEnd]), [[110, 125, 3000, 5, false], [127, 129, 400, 0, false]]);
    assert.deepEqual(benign[2]!.edges[0]!.values, { requests: 3, response_bytes: 50 }, 'the original stream is not modified');
  });

  it('pro rata: each interval gets its share of the window, and the event is the window as asked', async () => {
    const events: RunEvent[] = [];
    const out = await lastValueFrom(
      from(benign).pipe(
        injectExfiltration({
          bytesPerInterval: 1000,
          intervalSeconds: 5,
          spread: 'pro-rata',
          at: [
            { startSeconds: 10, endSeconds: 25 },
            { startSeconds: 27, endSeconds: 29 },
          ],
          runMetrics: ['requests', 'response_bytes', 'tcp_sent_bytes'],
          onEvent: (e) => events.push(e),
        }),
        toArray(),
      ),
    );
    // Window 1 = [110, 125): intervals 115 and 125 get 1000 each, 120 is a gap and stays one;
    // window 2 = [127, 129): 2 of interval 130's 5 s → 400.
    const added = [0, 0, 1000, 0, 1000, 400];
    out.forEach((s, i) => {
      if (!s.gap) assert.deepEqual(edgeValues(s, 'front-end', 'user'), { requests: 3, response_bytes: 50 + added[i]! });
    });
    assert.deepEqual(events, [
      { kind: 'exfiltration', start: 110, end: 125, bytes: 3000, path: ['user-db', 'user', 'front-end', 'external'], method: 'synthetic', injected: true },
      { kind: 'exfiltration', start: 127, end: 129, bytes: 400, path: ['user-db', 'user', 'front-end', 'external'], method: 'synthetic', injected: true },
    ]);
  });

  it('uses TCP bytes throughout on a TCP-only run, and the path and metrics given', async () => {
    assert.equal(hopMetric('user-db', ['tcp_sent_bytes', 'tcp_received_bytes']), 'tcp_sent_bytes');
    assert.equal(hopMetric('user', ['tcp_sent_bytes', 'tcp_received_bytes']), 'tcp_sent_bytes');
    assert.equal(hopMetric('user-db', ['response_bytes']), 'response_bytes');
    assert.throws(() => hopMetric('user', ['requests']), (e: unknown) => e instanceof UserError && /neither response_bytes nor tcp_sent_bytes/.test(e.message));
    const out = await lastValueFrom(
      from(benign.slice(0, 2)).pipe(
        injectExfiltration({ path: ['a', 'b', 'c'], hopMetrics: ['m1', 'm2'], bytesPerInterval: 10, intervalSeconds: 5, at: [{ startSeconds: 0, endSeconds: 5 }], runMetrics: [] }),
        toArray(),
      ),
    );
    assert.deepEqual(edgeValues(out[0]!, 'b', 'a'), { m1: 10 });
    assert.deepEqual(edgeValues(out[0]!, 'c', 'b'), { m2: 10 });
    assert.equal(edgeValues(out[1]!, 'b', 'a'), undefined);
  });

  it('with requestBytesPerByte, the client outside also sends that many request bytes per byte pulled, on the front door only', async () => {
    const out = await lastValueFrom(
      from(benign.slice(0, 2)).pipe(
        injectExfiltration({ path: ['user-db', 'user', 'front-end', '172.17.0.1'], bytesPerInterval: 1000, intervalSeconds: 5, at: [{ startSeconds: 0, endSeconds: 5 }], runMetrics: ['tcp_sent_bytes', 'tcp_received_bytes'], requestBytesPerByte: 0.8 }),
        toArray(),
      ),
    );
    // 0.8 × 1000 = 800 request bytes on 172.17.0.1 → front-end; the inner hops get the pulled bytes only.
    assert.deepEqual(edgeValues(out[0]!, '172.17.0.1', 'front-end'), { tcp_sent_bytes: 1000, tcp_received_bytes: 800 });
    assert.deepEqual(edgeValues(out[0]!, 'front-end', 'user'), { requests: 3, response_bytes: 50, tcp_sent_bytes: 1000 });
    assert.deepEqual(edgeValues(out[0]!, 'user', 'user-db'), { tcp_sent_bytes: 1000 });
    // request_bytes when the run has it, and the requests they make at the edge's 300 bytes per
    // request: 250 B → 0.83 → 1 more request, 500 B → 1.67 → 2.
    const withRequests = (requestBytes: number) => [{ t: 105, dt: 5, gap: false, edges: [{ src: 'front-end', dst: 'user', values: { requests: 10, request_bytes: requestBytes, response_bytes: 50 } }] }];
    const http = async (ratio: number, requestBytes = 3000) =>
      edgeValues(
        (await lastValueFrom(
          from(withRequests(requestBytes)).pipe(
            injectExfiltration({ path: ['user', 'front-end'], bytesPerInterval: 1000, intervalSeconds: 5, at: [{ startSeconds: 0, endSeconds: 5 }], runMetrics: ['requests', 'request_bytes', 'response_bytes'], requestBytesPerByte: ratio }),
            toArray(),
          ),
        ))[0]!,
        'front-end',
        'user',
      );
    assert.deepEqual(await http(0.25), { requests: 11, request_bytes: 3250, response_bytes: 1050 });
    assert.deepEqual(await http(0.5), { requests: 12, request_bytes: 3500, response_bytes: 1050 });
    // No request bytes recorded there: no bytes per request to go by, the count is left alone.
    const counted = await lastValueFrom(
      from(benign.slice(0, 1)).pipe(
        injectExfiltration({ path: ['user', 'front-end'], bytesPerInterval: 1000, intervalSeconds: 5, at: [{ startSeconds: 0, endSeconds: 5 }], runMetrics: ['requests', 'request_bytes', 'response_bytes'], requestBytesPerByte: 0.25 }),
        toArray(),
      ),
    );
    assert.deepEqual(edgeValues(counted[0]!, 'front-end', 'user'), { requests: 3, response_bytes: 1050, request_bytes: 250 });
  });

  it('adds the one call that carries the bytes on a link never seen or an HTTP edge silent in the interval, and none on an edge busy with its protocol', async () => {
    const snapshot: Snapshot = {
      t: 105,
      dt: 5,
      gap: false,
      edges: [
        // Busy: a pooled database connection moving bytes opens none; HTTP calls already there.
        { src: 'user', dst: 'user-db', values: { tcp_sent_bytes: 700, tcp_connections: 0 } },
        { src: 'front-end', dst: 'user', values: { requests: 4, response_bytes: 90 } },
        // Listed but silent in this interval (all zeros), and carts ↔ carts-db not listed at all.
        { src: 'external', dst: 'front-end', values: { requests: 0, response_bytes: 0, tcp_sent_bytes: 5 } },
      ],
    };
    const run = async (path: string[], runMetrics: string[]) =>
      (await lastValueFrom(from([snapshot]).pipe(injectExfiltration({ path, bytesPerInterval: 1000, intervalSeconds: 5, at: [{ startSeconds: 0, endSeconds: 5 }], runMetrics }), toArray())))[0]!;
    const all = ['requests', 'response_bytes', 'tcp_sent_bytes', 'tcp_connections'];
    const out = await run(['user-db', 'user', 'front-end', 'external'], all);
    assert.deepEqual(edgeValues(out, 'user', 'user-db'), { tcp_sent_bytes: 1700, tcp_connections: 0 });
    assert.deepEqual(edgeValues(out, 'front-end', 'user'), { requests: 4, response_bytes: 1090 });
    // TCP bytes on the front door do not carry an HTTP response: one request is added.
    assert.deepEqual(edgeValues(out, 'external', 'front-end'), { requests: 1, response_bytes: 1000, tcp_sent_bytes: 5 });
    // A new TCP link: one connection opened; a new HTTP link: one request.
    const fresh = await run(['carts-db', 'carts', 'external'], all);
    assert.deepEqual(edgeValues(fresh, 'carts', 'carts-db'), { tcp_sent_bytes: 1000, tcp_connections: 1 });
    assert.deepEqual(edgeValues(fresh, 'external', 'carts'), { response_bytes: 1000, requests: 1 });
    // A run that does not record the count gets bytes alone (Munnin's TCP-only runs).
    const tcpOnly = await run(['carts-db', 'carts'], ['tcp_sent_bytes', 'tcp_received_bytes']);
    assert.deepEqual(edgeValues(tcpOnly, 'carts', 'carts-db'), { tcp_sent_bytes: 1000 });
  });

  it('opens no connection on a TCP edge seen earlier in the run and idle now, but sends a request on an HTTP edge idle now', async () => {
    // Interval (100, 105]: both edges busy; (105, 110]: both idle, and the attack is then.
    const stream: Snapshot[] = [
      { t: 105, dt: 5, gap: false, edges: [{ src: 'user', dst: 'user-db', values: { tcp_sent_bytes: 300, tcp_connections: 1 } }, { src: 'front-end', dst: 'user', values: { requests: 2, response_bytes: 80 } }] },
      { t: 110, dt: 5, gap: false, edges: [{ src: 'user', dst: 'user-db', values: { tcp_sent_bytes: 0, tcp_connections: 0 } }] },
      { t: 115, dt: 5, gap: false, edges: [] },
    ];
    const out = await lastValueFrom(
      from(stream).pipe(
        injectExfiltration({ path: ['user-db', 'user', 'front-end'], bytesPerInterval: 1000, intervalSeconds: 5, at: [{ startSeconds: 5, endSeconds: 15 }], runMetrics: ['requests', 'response_bytes', 'tcp_sent_bytes', 'tcp_connections'] }),
        toArray(),
      ),
    );
    // The pooled connection from the first interval carries the bytes: none opened.
    assert.deepEqual(edgeValues(out[1]!, 'user', 'user-db'), { tcp_sent_bytes: 1000, tcp_connections: 0 });
    // A response rides on a request of its own interval: one, in each injected interval.
    assert.deepEqual(edgeValues(out[1]!, 'front-end', 'user'), { response_bytes: 1000, requests: 1 });
    assert.deepEqual(edgeValues(out[2]!, 'front-end', 'user'), { response_bytes: 1000, requests: 1 });
    assert.deepEqual(edgeValues(out[2]!, 'user', 'user-db'), { tcp_sent_bytes: 1000 });
  });

  it('rejects bad options with the field and value', () => {
    const base = { bytesPerInterval: 10, intervalSeconds: 5, at: [{ startSeconds: 0, endSeconds: 5 }], runMetrics: ['response_bytes', 'tcp_sent_bytes'] };
    assert.throws(() => injectExfiltration({ ...base, path: ['only'] }), /inject path: expected at least two node names/);
    assert.throws(() => injectExfiltration({ ...base, bytesPerInterval: -1 }), /bytesPerInterval: expected a positive number \(got -1\)/);
    assert.throws(() => injectExfiltration({ ...base, at: [{ startSeconds: 9, endSeconds: 3 }] }), /inject window 1: expected 0 ≤ start < end seconds \(got 9-3\)/);
    assert.throws(() => injectExfiltration({ ...base, hopMetrics: ['x'] }), /inject metrics: expected 3/);
    assert.throws(() => injectExfiltration({ ...base, requestBytesPerByte: -0.5 }), /requestBytesPerByte: expected a number ≥ 0 \(got -0.5\)/);
    assert.throws(() => injectExfiltration({ ...base, requestBytesPerByte: 1 }), /neither request_bytes nor tcp_received_bytes/);
    assert.throws(() => injectExfiltration({ ...base, spread: 'evenly' as 'pro-rata' }), /inject spread: expected whole-intervals or pro-rata \(got "evenly"\)/);
  });
});
