// Bug: reading a user's Prometheus (record --prometheus-url), a Prometheus that restarted
// answered from the samples it held before it died (a query looks back up to 5 minutes), and
// the live source took them as counters: the intervals until its first fresh scrape read as
// zero traffic, then one interval held the whole outage's traffic. The importer had a
// freshness rule (each metric's newest sample time); the live source had none. Now both ask
// the same thing, and a read whose newest sample is older than the allowed age (by default
// two of the longer of the interval and the scrape interval) is a fault, so a gap.
import { before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { resolveParameters } from '../../src/config/index.ts';
import { importPrometheus } from '../../src/import/index.ts';
import { differentiate } from '../../src/matrix/index.ts';
import { prometheusApiSource, startManagedPrometheus, type ManagedPrometheus } from '../../src/telemetry/index.ts';
import type { TelemetryRead } from '../../src/types.ts';
import { FakeSidecar, type EdgeSpec } from '../telemetry/fakeSidecars.ts';
import { captureLog, makeTempDir, readRunBack, requireBinaryOrSkip } from '../util.ts';

const EDGE: EdgeSpec = { reporter: 'source', src: 'front-end', dst: 'catalogue' };
const now = () => Date.now() / 1000;
const requestsOf = (r: TelemetryRead) => (r.kind === 'read' ? r.samples.reduce((acc, s) => acc + (s.metric === 'requests' ? s.value : 0), 0) : undefined);

describe('the user’s Prometheus restarting with its pre-crash samples', { timeout: 120_000 }, () => {
  let binary: string | undefined;
  let server: ManagedPrometheus | undefined;
  let sidecar: FakeSidecar | undefined;
  const log = captureLog();
  /** Every live read, polled every 200 ms from before the crash to 3 s after the first fresh sample. */
  const reads: TelemetryRead[] = [];
  /** Evaluation time of the last read before the crash. */
  let killedAfter = 0;
  /** From the first read holding the counter to the last read, whole seconds inside. */
  let range = { startSeconds: 0, endSeconds: 0 };

  before(async () => {
    binary = requireBinaryOrSkip({ skip: () => {} }, 'prometheus', 'prometheus');
    if (!binary) return;
    sidecar = await FakeSidecar.start('front-end');
    sidecar.set(EDGE, { requests: 100 });
    // A crash is restarted after 8 s, on the same TSDB: the user's Prometheus coming back.
    server = await startManagedPrometheus({ binary, targets: [sidecar.target], scrapeIntervalSeconds: 1, restartBackoffMillis: 8000 });
    const url = server.url;
    // Read as a user's store (through its URL, as record does): interval 2 s, scrapes 1 s.
    const source = prometheusApiSource(resolveParameters({ exfiltration: [], intervalSeconds: 2, telemetry: { prometheus: { url } } }), url);
    const poll = async (done: (r: TelemetryRead) => boolean, what: string) => {
      const until = Date.now() + 40_000;
      for (;;) {
        const r = await source.read(now());
        reads.push(r);
        if (done(r)) return r;
        assert.ok(Date.now() < until, `timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const first = await poll((r) => requestsOf(r) === 100, 'the first scrape');
    reads.splice(0, reads.length - 1); // from the first read holding the counter: it seeds the differencing
    await poll((r) => r.t >= first.t + 2, 'two readable seconds');
    killedAfter = reads[reads.length - 1]!.t;
    process.kill(server.pid, 'SIGKILL');
    // Traffic while Prometheus is down: 100 more requests, none of them in a readable interval.
    sidecar.add(EDGE, { requests: 100 });
    const fresh = await poll((r) => requestsOf(r) === 200, 'a fresh scrape after the restart');
    const last = await poll((r) => r.t >= fresh.t + 3, 'three more seconds');
    range = { startSeconds: Math.ceil(first.t), endSeconds: Math.floor(last.t) };
    await source.close();
  });
  after(async () => {
    await server?.stop();
    await sidecar?.close();
    log.restore();
  });

  it('makes live reads of pre-crash samples faults, so no interval holds the outage’s traffic', async (t) => {
    if (!binary) return t.skip('no prometheus binary');
    const afterCrash = reads.filter((r) => r.t > killedAfter);
    // The restarted server answered with the pre-crash counters (100) at first: those reads must be faults.
    const stale = afterCrash.filter((r) => requestsOf(r) === 100);
    assert.deepEqual(stale, [], 'reads of pre-crash samples taken as counters');
    const faults = afterCrash.filter((r) => r.kind === 'fault').map((r) => (r.kind === 'fault' ? r.reason : ''));
    assert.ok(faults.some((reason) => /^the store's newest sample is \d+\.\d s old \(more than 4 s\): it was not scraping$/.test(reason)), faults.join('; '));
    // Differenced as live: every request after the crash was made during the outage.
    const snapshots = await lastValueFrom(from(reads).pipe(differentiate({ metrics: ['requests'] }), toArray()));
    const counted = snapshots.filter((s) => !s.gap).reduce((acc, s) => acc + s.edges.reduce((a, e) => a + (e.values['requests'] ?? 0), 0), 0);
    assert.equal(counted, 0);
  });

  // `import prometheus` of the same stretch, with the default --max-sample-age. It was
  // max(2 steps, 30 s): the ~10 s the store was down imported as zero traffic, then one step
  // of 100 requests. Now twice the longer of the step and the scrape interval (1 s): 2 s at
  // 1-s steps, 4 s at 2-s steps, and the stretch is gaps.
  for (const stepSeconds of [1, 2]) {
    it(`imports the restarted store's stale stretch as gaps at ${stepSeconds}-s steps by default`, async (t) => {
      if (!binary) return t.skip('no prometheus binary');
      const tmp = makeTempDir('munnin-restart-');
      try {
        const run = await importPrometheus({ url: server!.url, ...range, stepSeconds, metrics: ['requests'], dir: join(tmp.dir, 'imp'), name: 'imp' });
        const snapshots = (await readRunBack(run.dir)).snapshots;
        const gaps = snapshots.filter((s) => s.gap).map((s) => s.reason ?? '');
        const limit = 2 * stepSeconds;
        assert.ok(gaps.some((r) => r.endsWith(`s old (more than ${limit} s): it was not scraping`)), gaps.join('; '));
        const counted = snapshots.filter((s) => !s.gap).map((s) => s.edges.reduce((a, e) => a + (e.values['requests'] ?? 0), 0));
        assert.deepEqual(counted.filter((v) => v !== 0), [], 'readable steps holding the outage’s requests');
      } finally {
        tmp.remove();
      }
    });
  }
});
