import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.ts';
import { createScrapeSource } from '../../src/telemetry/index.ts';
import { captureLog, reasonOf, samplesOf, totals } from '../util.ts';
import { FakeSidecar, refusingUrl, setStandardCounters, STANDARD_TOTALS, startStandardSidecars } from './fakeSidecars.ts';

describe('createScrapeSource', () => {
  let frontEnd: FakeSidecar;
  let catalogue: FakeSidecar;
  let user: FakeSidecar;

  before(async () => {
    [frontEnd, catalogue, user] = await startStandardSidecars();
  });
  after(async () => {
    await Promise.all([frontEnd.close(), catalogue.close(), user.close()]);
  });
  beforeEach(() => {
    for (const s of [frontEnd, catalogue, user]) {
      s.restart();
      s.mode = 'ok';
    }
    setStandardCounters(frontEnd, catalogue, user);
  });

  const targets = () => [frontEnd.target, catalogue.target, user.target];

  it('reads every sidecar and counts each edge once, from the source reporter (sidecar-less callers from the destination)', async () => {
    const source = createScrapeSource({ targets: targets() });
    const before = performance.now();
    const read = await source.read(1000.5);
    const took = (performance.now() - before) / 1000;
    // Labelled when the last sidecar answered: after the requested time, by at most the read's duration.
    assert.ok(read.t >= 1000.5 && read.t <= 1000.5 + took, `t = ${read.t}`);
    const samples = samplesOf(read);
    assert.deepEqual(totals(samples), STANDARD_TOTALS);
    // 3 label sets × 3 metrics on front-end, 3 TCP series on user; none from catalogue.
    assert.equal(samples.length, 12);
    assert.equal(new Set(samples.map((s) => s.series)).size, 12);
    assert.ok(samples.every((s) => !s.series.includes(catalogue.url)));
    assert.deepEqual(source.describe(), { kind: 'scrape', targets: 3, reporter: 'source' });
  });

  it('with reporter "destination" takes the callee view, plus source series whose callee has no sidecar', async () => {
    const source = createScrapeSource({ targets: targets(), reporter: 'destination' });
    assert.deepEqual(totals(samplesOf(await source.read(1))), {
      'requests front-end>catalogue': 13,
      'request_bytes front-end>catalogue': 3700,
      'response_bytes front-end>catalogue': 50200,
      'requests external>front-end': 40,
      'request_bytes external>front-end': 8000,
      'response_bytes external>front-end': 900000,
      'tcp_sent_bytes user>external': 200,
      'tcp_received_bytes user>external': 400000,
      'tcp_connections user>external': 1,
    });
  });

  it('keeps series identities stable across reads, per sidecar and label set', async () => {
    const source = createScrapeSource({ targets: targets() });
    const first = samplesOf(await source.read(1));
    frontEnd.add({ reporter: 'source', src: 'front-end', dst: 'catalogue' }, { requests: 5, request_bytes: 1500, response_bytes: 20000 });
    const second = samplesOf(await source.read(2));
    const byFirst = new Map(first.map((s) => [s.series, s.value]));
    const changed = second.filter((s) => byFirst.get(s.series) !== s.value);
    assert.equal(second.length, first.length);
    assert.ok(second.every((s) => byFirst.has(s.series)));
    assert.deepEqual(changed.map((s) => [s.metric, s.value - (byFirst.get(s.series) ?? 0)]).sort(), [
      ['request_bytes', 1500],
      ['requests', 5],
      ['response_bytes', 20000],
    ]);
    // A second replica of the same workload is a different series even with identical labels.
    const replica = await FakeSidecar.start('front-end');
    try {
      replica.set({ reporter: 'source', src: 'front-end', dst: 'catalogue' }, { requests: 1 });
      const both = samplesOf(await createScrapeSource({ targets: [frontEnd.target, replica.target], metrics: ['requests'] }).read(3));
      assert.equal(totals(both)['requests front-end>catalogue'], 15 + 2 + 1);
      assert.equal(new Set(both.map((s) => s.series)).size, both.length);
    } finally {
      await replica.close();
    }
  });

  it('applies aliases and the metric selection', async () => {
    const source = createScrapeSource({ targets: targets(), metrics: ['requests', 'tcp_received_bytes'], aliases: { unknown: 'internet', PassthroughCluster: 'egress' } });
    assert.deepEqual(totals(samplesOf(await source.read(1))), {
      'requests front-end>catalogue': 12,
      'requests internet>front-end': 40,
      'tcp_received_bytes user>egress': 400000,
    });
  });

  const faultCases: [string, () => FakeSidecar, FakeSidecar['mode'], RegExp][] = [
    ['answers HTTP 500', () => catalogue, 'http500', /sidecar catalogue \(http:\/\/127\.0\.0\.1:\d+\/stats\/prometheus\): HTTP 500/],
    ['sends garbage', () => catalogue, 'garbage', /sidecar catalogue \(.*\) sent unusable metrics: line 2: /],
    ['never finishes its answer', () => catalogue, 'hang', /sidecar catalogue \(.*\): no complete answer within 300 ms/],
    ['exposes a NaN counter', () => frontEnd, 'nan', /sidecar front-end \(.*\) sent unusable metrics: .*istio_request_bytes_sum.* has value NaN/],
  ];
  for (const [what, sidecar, mode, reason] of faultCases) {
    it(`makes the whole read a fault naming the sidecar when one ${what}`, async () => {
      const log = captureLog();
      try {
        sidecar().mode = mode;
        const read = await createScrapeSource({ targets: targets(), scrapeTimeoutMillis: 300 }).read(77);
        assert.equal(read.t, 77);
        assert.match(reasonOf(read), reason);
        assert.equal('samples' in read, false);
      } finally {
        log.restore();
      }
    });
  }

  it('makes the read a fault when a sidecar refuses connections, and names all failing sidecars', async () => {
    const log = captureLog();
    try {
      frontEnd.mode = 'http500';
      const read = await createScrapeSource({ targets: [...targets(), { workload: 'orders', url: await refusingUrl() }] }).read(5);
      assert.match(reasonOf(read), /^2 of 4 sidecars unreadable: sidecar front-end \(.*\): HTTP 500; sidecar orders \(.*\): connection refused$/);
    } finally {
      log.restore();
    }
  });

  it('warns once per outage and says when it recovered', async () => {
    const log = captureLog();
    try {
      const source = createScrapeSource({ targets: targets() });
      samplesOf(await source.read(1));
      user.mode = 'http500';
      for (const t of [2, 3, 4]) reasonOf(await source.read(t));
      user.mode = 'ok';
      const asked = performance.now();
      samplesOf(await source.read(5));
      const took = (performance.now() - asked) / 1000;
      samplesOf(await source.read(6));
      const warnings = log.messages.filter((m) => m.level === 'warn');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!.message, /scrape source \(3 sidecars\): cannot read telemetry \(1 of 3 sidecars unreadable: sidecar user .*HTTP 500\); intervals are recorded as gaps/);
      const infos = log.messages.filter((m) => m.level === 'info');
      assert.equal(infos.length, 1);
      // Reads at t = 2, 3, 4 failed, 5 answered: 3 s of virtual time, plus the real time the
      // answering scrape took (answeredAt adds it): a few ms idle, more on a loaded machine.
      const over = /telemetry readable again after 3 failed read\(s\) over (\d+\.\d) s/.exec(infos[0]!.message);
      assert.ok(over, infos[0]!.message);
      assert.ok(Number(over[1]) >= 3 && Number(over[1]) <= 3 + took + 0.05, `${over[1]} s, the answering read took ${took} s`);
    } finally {
      log.restore();
    }
  });

  it('warms up by scraping every sidecar once, saying nothing of a failure and keeping no counter', async () => {
    const log = captureLog();
    try {
      const source = createScrapeSource({ targets: targets() });
      const scrapes = () => [frontEnd, catalogue, user].map((s) => s.scrapes);
      const before = scrapes();
      user.mode = 'http500';
      await source.warmUp!();
      user.mode = 'ok';
      assert.deepEqual(
        scrapes().map((n, i) => n - before[i]!),
        [1, 1, 1],
      );
      assert.deepEqual(log.messages, [], 'a warm-up is no read: no outage is logged');
      // The first read still sees every counter (the source keeps no baseline: that is differentiate's).
      assert.deepEqual(totals(samplesOf(await source.read(1))), STANDARD_TOTALS);
      await source.close();
      await source.warmUp!();
      assert.deepEqual(
        scrapes().map((n, i) => n - before[i]!),
        [2, 2, 2],
        'closed, it scrapes nothing',
      );
    } finally {
      log.restore();
    }
  });

  it('reads as a fault once closed', async () => {
    const source = createScrapeSource({ targets: targets() });
    await source.close();
    await source.close();
    assert.match(reasonOf(await source.read(9)), /closed/);
  });

  it('rejects bad options with errors naming the field', () => {
    assert.throws(() => createScrapeSource({ targets: [] }), (e) => e instanceof UserError && /targets is empty/.test(e.message));
    assert.throws(() => createScrapeSource({ targets: [{ workload: 'user', url: 'ftp://x/metrics' }] }), (e) => e instanceof UserError && /scrape target 0 \(user\): "ftp:\/\/x\/metrics"/.test(e.message));
    assert.throws(() => createScrapeSource({ targets: targets(), scrapeTimeoutMillis: 0 }), (e) => e instanceof UserError && /scrapeTimeoutMillis .* not 0/.test(e.message));
    assert.throws(() => createScrapeSource({ targets: targets(), metrics: ['bogus'] }), (e) => e instanceof UserError && /telemetry\.metrics: unknown metric key "bogus"/.test(e.message));
    assert.throws(() => createScrapeSource({ targets: targets(), sourceLabel: 'a-b' }), (e) => e instanceof UserError && /sourceLabel must be a Prometheus label name/.test(e.message));
  });
});
