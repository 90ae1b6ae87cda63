// The embedded sidecars' stats flush, as Envoy's: request counters are live, while histogram
// sums and counts and the TCP byte counters of open connections change only at a flush. With
// `statsFlushSeconds: 5` (Istio's default) the bytes arrive in 5-second steps; time is virtual
// (the test drives the flush timer), traffic is real.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parametersSchema } from '../../src/config/index.ts';
import { startEmbeddedMesh, type EmbeddedMesh, type FlushTimer } from '../../src/mesh/index.ts';
import { parseExposition, total } from './exposition.ts';

/** A flush timer in virtual time: advance() fires what falls due, in order. */
function virtualFlushTimer(): { timer: FlushTimer; advance(ms: number): void; readonly periods: number[] } {
  let now = 0;
  const periods: number[] = [];
  const running: { flush: () => void; every: number; next: number; stopped: boolean }[] = [];
  return {
    periods,
    timer: (flush, every) => {
      periods.push(every);
      const t = { flush, every, next: now + every, stopped: false };
      running.push(t);
      return { stop: () => void (t.stopped = true) };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = running.filter((t) => !t.stopped && t.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        due.next += due.every;
        due.flush();
      }
      now = end;
    },
  };
}

interface Reading {
  readonly requests: number;
  readonly count: number;
  readonly sum: number;
  readonly responseSum: number;
  readonly tcpReceived: number;
}

async function read(mesh: EmbeddedMesh): Promise<Reading> {
  const url = (w: string) => mesh.scrapeTargets.find((t) => t.workload === w)!.url;
  const front = parseExposition(await (await fetch(url('front-end'))).text());
  const catalogue = parseExposition(await (await fetch(url('catalogue'))).text());
  const edge = { reporter: 'source', destination_service_name: 'catalogue' };
  return {
    requests: total(front, 'istio_requests_total', edge),
    count: total(front, 'istio_request_bytes_count', edge),
    sum: total(front, 'istio_request_bytes_sum', edge),
    responseSum: total(front, 'istio_response_bytes_sum', edge),
    // catalogue → catalogue-db: one long-lived connection, so only flushes report its bytes.
    tcpReceived: total(catalogue, 'istio_tcp_received_bytes_total', { reporter: 'source', destination_service_name: 'catalogue-db' }),
  };
}

/** Two catalogue requests in each of `seconds` virtual seconds; the reading after each second. */
async function run(statsFlushSeconds: number, seconds: number): Promise<{ readings: Reading[]; periods: number[] }> {
  const clock = virtualFlushTimer();
  const mesh = await startEmbeddedMesh({ namespace: 'shop', customers: 2, catalogueItems: 5, statsFlushSeconds, flushTimer: clock.timer });
  try {
    const readings: Reading[] = [];
    for (let t = 1; t <= seconds; t++) {
      for (let i = 0; i < 2; i++) assert.equal((await fetch(`${mesh.frontEndUrl}/catalogue?size=3`)).status, 200);
      clock.advance(1000);
      readings.push(await read(mesh));
    }
    return { readings, periods: clock.periods };
  } finally {
    await mesh.stop();
  }
}

describe('sidecar stats flush', () => {
  it('with statsFlushSeconds 5, bytes arrive in 5-second steps while request counts are live', async () => {
    const { readings, periods } = await run(5, 10);
    assert.deepEqual(new Set(periods), new Set([5000]), 'every sidecar flushes every 5 s');
    // Requests: live, 2 per second.
    assert.deepEqual(readings.map((r) => r.requests), [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    // Histogram counts: everything up to the flush at 5 s, then at 10 s.
    assert.deepEqual(readings.map((r) => r.count), [0, 0, 0, 0, 10, 10, 10, 10, 10, 20]);
    const at5 = readings[4]!;
    assert.ok(at5.sum > 0 && at5.responseSum > 0 && at5.tcpReceived > 0, JSON.stringify(at5));
    for (const key of ['sum', 'responseSum', 'tcpReceived'] as const) {
      const values = readings.map((r) => r[key]);
      assert.deepEqual(values.slice(0, 4), [0, 0, 0, 0], `${key} before the first flush`);
      assert.deepEqual(values.slice(4, 9), [values[4], values[4], values[4], values[4], values[4]], `${key} between flushes`);
      // At the second flush, the next ten requests' bytes arrive at once.
      assert.ok(values[9]! > values[4]!, `${key} at the second flush`);
    }
    // HTTP sizes: the ten identical requests of 5-10 s double the totals exactly. (The store
    // protocol numbers its messages, so its byte counts grow a little with the digits.)
    assert.equal(readings[9]!.sum, 2 * at5.sum);
    assert.equal(readings[9]!.responseSum, 2 * at5.responseSum);
  });

  it('with the default of 1 s (parameters.ts), the bytes follow every second', async () => {
    const flush = parametersSchema.parse({}).mesh.statsFlushSeconds;
    assert.equal(flush, 1);
    const { readings } = await run(flush, 3);
    assert.deepEqual(readings.map((r) => r.count), [2, 4, 6]);
    assert.equal(readings[2]!.sum, 3 * readings[0]!.sum);
    const tcp = readings.map((r) => r.tcpReceived);
    assert.ok(tcp[0]! > 0 && tcp[1]! > tcp[0]! && tcp[2]! > tcp[1]!, tcp.join(', '));
  });

  it('refuses a flush interval that is not a positive number of seconds, naming the field', async () => {
    await assert.rejects(startEmbeddedMesh({ namespace: 'shop', customers: 1, catalogueItems: 1, statsFlushSeconds: 0 }), /^UserError: mesh\.statsFlushSeconds: must be a number of seconds, at least 0\.001 \(got 0\)$/);
    assert.throws(() => parametersSchema.parse({ mesh: { statsFlushSeconds: -5 } }), /statsFlushSeconds/);
  });
});
