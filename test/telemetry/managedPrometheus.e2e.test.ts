// A real Prometheus (and VictoriaMetrics) scraping fake Istio sidecars, read through the
// Prometheus source. Needs /usr/bin/prometheus and /usr/bin/victoria-metrics (Debian packages
// prometheus and victoria-metrics); skipped without them unless CI=true.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { firstValueFrom, filter, take, toArray, type Subscription } from 'rxjs';
import { createPrometheusSource, createScrapeSource, pollTelemetry, startManagedPrometheus, startManagedVictoriaMetrics, type ManagedPrometheus } from '../../src/telemetry/index.ts';
import type { TelemetryRead, TelemetrySource } from '../../src/types.ts';
import { captureLog, requireBinaryOrSkip, samplesOf, totals } from '../util.ts';
import { FakeSidecar, refusingUrl, STANDARD_TOTALS, startStandardSidecars } from './fakeSidecars.ts';
import { waitFor } from './waitFor.ts';

/** Read until the totals equal `expected` (the server has scraped the latest counters), at most ~8 s. */
async function readUntil(source: TelemetrySource, expected: Record<string, number>): Promise<Record<string, number>> {
  let last: TelemetryRead | undefined;
  for (let i = 0; i < 40; i++) {
    last = await source.read(Date.now() / 1000);
    if (last.kind === 'read' && JSON.stringify(sorted(totals(last.samples))) === JSON.stringify(sorted(expected))) return totals(last.samples);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return last?.kind === 'read' ? totals(last.samples) : { fault: Number.NaN, [String(last?.kind === 'fault' ? last.reason : '')]: 0 };
}

function sorted(o: Record<string, number>): [string, number][] {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}

describe('managed Prometheus read through the Prometheus source', () => {
  let sidecars: FakeSidecar[] = [];
  let managed: ManagedPrometheus | undefined;
  const needed = (t: TestContext) => requireBinaryOrSkip(t, 'prometheus', 'prometheus');

  before(async () => {
    sidecars = await startStandardSidecars();
  });
  after(async () => {
    await managed?.stop();
    await Promise.all(sidecars.map((s) => s.close()));
  });

  it('scrapes every sidecar and reads the right edges, each counted once (reporter rule)', async (t) => {
    if (!needed(t)) return;
    const [frontEnd, , user] = sidecars;
    managed = await startManagedPrometheus({ targets: sidecars.map((s) => s.target), scrapeIntervalSeconds: 1 });
    assert.equal(managed.kind, 'prometheus');
    assert.equal(managed.evaluationDelaySeconds, 1.25);
    const source = createPrometheusSource({ managed });
    // Ready means: the very first read already sees every sidecar.
    const first = await source.read(Date.now() / 1000);
    assert.deepEqual(totals(samplesOf(first)), STANDARD_TOTALS);
    // The same counters straight from the sidecars.
    const direct = await createScrapeSource({ targets: sidecars.map((s) => s.target) }).read(0);
    assert.deepEqual(totals(samplesOf(direct)), STANDARD_TOTALS);

    frontEnd!.add({ reporter: 'source', src: 'front-end', dst: 'catalogue' }, { requests: 5, request_bytes: 1500, response_bytes: 25000 });
    user!.add({ reporter: 'source', src: 'user', dst: 'PassthroughCluster' }, { tcp_received_bytes: 100000 });
    const expected = { ...STANDARD_TOTALS, 'requests front-end>catalogue': 17, 'request_bytes front-end>catalogue': 5100, 'response_bytes front-end>catalogue': 75100, 'tcp_received_bytes user>external': 500000 };
    assert.deepEqual(await readUntil(source, expected), expected);
    assert.deepEqual(source.describe(), { kind: 'prometheus', url: managed.url, managed: 'prometheus', reporter: 'source', scrapeIntervalSeconds: 1, evaluationDelaySeconds: 1.25 });
  });

  it('restarts a killed Prometheus on the same URL and TSDB: faults while it is down, one warning, reads again after', async (t) => {
    if (!needed(t) || !managed) return;
    const server = managed;
    const log = captureLog();
    let subscription: Subscription | undefined;
    try {
      const { url, dir } = server;
      const oldPid = server.pid;
      const source = createPrometheusSource({ managed: server });
      const reads: TelemetryRead[] = [];
      subscription = pollTelemetry(source, { intervalSeconds: 1 }).subscribe((r) => reads.push(r));
      const detail = () => `reads: ${JSON.stringify(reads.map((r) => r.kind))}; log: ${log.text()}`;
      await waitFor(() => reads.filter((r) => r.kind === 'read').length >= 2, 'two reads', 5000, detail);
      const before = reads.filter((r) => r.kind === 'read').at(-1);
      const killedAt = Date.now() / 1000;
      process.kill(oldPid, 'SIGKILL');
      // Counted only by scrapes of the restarted server: a read showing the old value answered from before the crash.
      sidecars[0]!.add({ reporter: 'source', src: 'front-end', dst: 'catalogue' }, { requests: 1000 });
      await waitFor(() => server.restarts === 1 && server.faultAt(Date.now() / 1000) === undefined, 'the restart', 30_000, detail);
      const recoveredAt = reads.length;
      await waitFor(() => reads.slice(recoveredAt).filter((r) => r.kind === 'read').length >= 2, 'two reads after the restart', 5000, detail);
      subscription.unsubscribe();

      assert.equal(server.url, url);
      assert.equal(server.dir, dir);
      assert.notEqual(server.pid, oldPid);
      assert.ok(existsSync(`/proc/${server.pid}`), 'the new process runs');
      assert.ok(existsSync(`${dir}/data/wal`), 'the TSDB is kept');
      const kinds = reads.map((r) => r.kind).join(' ');
      assert.match(kinds, /^(read )+(fault )+(read ?)+$/, kinds);
      const steps = reads.slice(1).map((r, i) => Math.round((r.t - reads[i]!.t) * 1000));
      assert.deepEqual(new Set(steps), new Set([1000]), 'one read per second, gaps included');
      const faults = reads.filter((r) => r.kind === 'fault');
      assert.ok(faults.length >= 3, `${faults.length} faults`);
      assert.ok(faults.some((r) => r.kind === 'fault' && /managed prometheus is restarting \(its process was killed by SIGKILL\)/.test(r.reason)), JSON.stringify(faults));
      // Every read after the outage sees the restarted server's own scrapes, never counters from before the crash.
      const requests = (r: TelemetryRead | undefined) => totals(r?.kind === 'read' ? r.samples : [])['requests front-end>catalogue'];
      assert.ok(before && requests(before)! < 1000);
      for (const r of reads.slice(reads.indexOf(faults.at(-1)!))) if (r.kind === 'read') assert.ok(requests(r)! >= 1000, `stale read at ${r.t}: ${requests(r)}`);
      const warnings = log.messages.filter((m) => m.level === 'warn');
      assert.equal(warnings.filter((m) => m.message.startsWith('prometheus source')).length, 1, log.text('warn'));
      assert.match(log.text('warn'), /cannot read telemetry \((connection refused|ECONNRESET|socket hang up|managed prometheus is restarting .*)\)/);
      const died = warnings.filter((m) => m.message.startsWith('managed prometheus'));
      assert.equal(died.length, 1, log.text('warn'));
      assert.match(died[0]!.message, new RegExp(`^managed prometheus \\(pid ${oldPid}\\) was killed by SIGKILL unexpectedly; restarting it in 1\\.0 s`));
      assert.equal(warnings.length, 2, log.text('warn'));
      const infos = log.messages.filter((m) => m.level === 'info');
      assert.equal(infos.filter((m) => new RegExp(`^managed prometheus is back \\(pid ${server.pid}\\) after [\\d.]+ s, scraping all 3 sidecars again`).test(m.message)).length, 1, log.text());
      assert.equal(infos.filter((m) => /telemetry readable again/.test(m.message)).length, 1, log.text());
      assert.equal(log.text('error'), '');
      // A read evaluated inside the outage is refused even now (after the log is checked: it starts a new outage): the restarted TSDB would answer it with pre-crash samples.
      const inHole = await source.read(killedAt + 0.5 + server.evaluationDelaySeconds);
      assert.equal(inHole.kind, 'fault');
      assert.match(inHole.kind === 'fault' ? inHole.reason : '', /precedes the restart of the managed prometheus/);
    } finally {
      subscription?.unsubscribe();
      log.restore();
    }
  });

  it('stops with SIGTERM, removes its temporary storage, and is idempotent', async (t) => {
    if (!needed(t) || !managed) return;
    const { pid, dir } = managed;
    assert.ok(existsSync(dir));
    await Promise.all([managed.stop(), managed.stop()]);
    await managed.stop();
    assert.equal(existsSync(dir), false);
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    managed = undefined;
  });

  it('fails to start, cleanly and clearly, when a sidecar cannot be scraped', async (t) => {
    if (!needed(t)) return;
    const dead = { workload: 'orders', url: await refusingUrl() };
    await assert.rejects(
      startManagedPrometheus({ targets: [sidecars[0]!.target, dead], scrapeIntervalSeconds: 1, startTimeoutMillis: 2500 }),
      /prometheus did not scrape all 2 sidecars within 2500 ms: /,
    );
  });
});

describe('managed VictoriaMetrics read through the Prometheus source', () => {
  let sidecars: FakeSidecar[] = [];
  before(async () => {
    sidecars = await startStandardSidecars();
  });
  after(async () => {
    await Promise.all(sidecars.map((s) => s.close()));
  });

  it('reads the same edges and values as from Prometheus', async (t) => {
    if (!requireBinaryOrSkip(t, 'victoria-metrics', 'victoria-metrics')) return;
    const managed = await startManagedVictoriaMetrics({ targets: sidecars.map((s) => s.target), scrapeIntervalSeconds: 1 });
    const source = createPrometheusSource({ managed });
    try {
      assert.equal(managed.kind, 'victoria-metrics');
      const first = await source.read(Date.now() / 1000);
      assert.deepEqual(totals(samplesOf(first)), STANDARD_TOTALS);
      sidecars[0]!.add({ reporter: 'destination', src: 'unknown', dst: 'front-end' }, { requests: 3, request_bytes: 600, response_bytes: 30000 });
      const expected = { ...STANDARD_TOTALS, 'requests external>front-end': 43, 'request_bytes external>front-end': 8600, 'response_bytes external>front-end': 930000 };
      assert.deepEqual(await readUntil(source, expected), expected);
      const reads = await firstValueFrom(pollTelemetry(source, { intervalSeconds: 0.5 }).pipe(filter((r) => r.kind === 'read'), take(3), toArray()));
      assert.equal(reads.length, 3);
    } finally {
      const dir = managed.dir;
      await source.close();
      assert.equal(existsSync(dir), false);
    }
  });
});
