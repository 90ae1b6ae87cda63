import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createIstioMapper, TelemetryDataError } from '../../src/telemetry/index.ts';

const series = (reporter: string | undefined, src: string, dst: string, dstWorkload = dst): Record<string, string> => ({
  ...(reporter === undefined ? {} : { reporter }),
  source_workload: src,
  destination_service_name: dst,
  destination_workload: dstWorkload,
});

describe('createIstioMapper', () => {
  it('maps the six Istio metrics to the run-format keys and ignores the rest', () => {
    const mapper = createIstioMapper();
    assert.deepEqual([...mapper.istioNames], [
      ['istio_requests_total', 'requests'],
      ['istio_request_bytes_sum', 'request_bytes'],
      ['istio_response_bytes_sum', 'response_bytes'],
      ['istio_tcp_sent_bytes_total', 'tcp_sent_bytes'],
      ['istio_tcp_received_bytes_total', 'tcp_received_bytes'],
      ['istio_tcp_connections_opened_total', 'tcp_connections'],
    ]);
    const labels = series('source', 'front-end', 'catalogue');
    assert.equal(mapper.toSample('istio_request_bytes_count', labels, 3, 'x'), undefined);
    assert.equal(mapper.toSample('istio_request_duration_milliseconds_sum', labels, 3, 'x'), undefined);
    assert.deepEqual(mapper.toSample('istio_request_bytes_sum', labels, 3, 'sidecar-1'), {
      metric: 'request_bytes',
      src: 'front-end',
      dst: 'catalogue',
      series: 'sidecar-1 istio_request_bytes_sum{destination_service_name="catalogue",destination_workload="catalogue",reporter="source",source_workload="front-end"}',
      value: 3,
    });
  });

  it('applies the reporter rule: the configured reporter, plus the other only where the configured one is blind', () => {
    const bySource = createIstioMapper({ reporter: 'source' });
    const byDestination = createIstioMapper({ reporter: 'destination' });
    const take = (mapper: ReturnType<typeof createIstioMapper>, labels: Record<string, string>) => mapper.toSample('istio_requests_total', labels, 1, 'o')?.src ?? 'dropped';
    // internal edge, both proxies report it
    assert.equal(take(bySource, series('source', 'front-end', 'catalogue')), 'front-end');
    assert.equal(take(bySource, series('destination', 'front-end', 'catalogue')), 'dropped');
    assert.equal(take(byDestination, series('source', 'front-end', 'catalogue')), 'dropped');
    assert.equal(take(byDestination, series('destination', 'front-end', 'catalogue')), 'front-end');
    // caller without a sidecar: only the destination proxy reports it
    assert.equal(take(bySource, series('destination', 'unknown', 'front-end')), 'external');
    assert.equal(take(bySource, series('destination', '', 'front-end')), 'external');
    // callee without a sidecar: only the source proxy reports it
    assert.equal(take(byDestination, series('source', 'user', 'PassthroughCluster', 'unknown')), 'user');
    assert.equal(take(bySource, series('source', 'user', 'PassthroughCluster', 'unknown')), 'user');
    // anything else: other reporter values are left out, series without one are kept
    assert.equal(take(bySource, series('waypoint', 'front-end', 'catalogue')), 'dropped');
    assert.equal(take(bySource, series(undefined, 'front-end', 'catalogue')), 'front-end');
  });

  it('reads nodes from the configured labels through the aliases, treating a missing label as unknown', () => {
    const mapper = createIstioMapper({ sourceLabel: 'source_app', destinationLabel: 'destination_app', aliases: { unknown: 'outside', constructor: 'c' } });
    const s = mapper.toSample('istio_requests_total', { reporter: 'source', source_app: 'web', destination_app: 'api' }, 1, 'o');
    assert.deepEqual([s?.src, s?.dst], ['web', 'api']);
    const missing = mapper.toSample('istio_requests_total', { reporter: 'source', source_app: 'web' }, 1, 'o');
    assert.equal(missing?.dst, 'outside');
    const prototypeName = mapper.toSample('istio_requests_total', { reporter: 'source', source_app: 'toString', destination_app: 'constructor' }, 1, 'o');
    assert.deepEqual([prototypeName?.src, prototypeName?.dst], ['toString', 'c']);
  });

  it('makes series identities unambiguous even when label values look like label syntax', () => {
    const mapper = createIstioMapper();
    const a = mapper.toSample('istio_requests_total', { reporter: 'source', source_workload: 'x",b="y', destination_service_name: 'd' }, 1, 'o');
    const b = mapper.toSample('istio_requests_total', { reporter: 'source', source_workload: 'x', b: 'y', destination_service_name: 'd' }, 1, 'o');
    assert.notEqual(a?.series, b?.series);
  });

  it('rejects values that cannot be counters', () => {
    const mapper = createIstioMapper();
    for (const value of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      assert.throws(() => mapper.toSample('istio_requests_total', series('source', 'a', 'b'), value, 'o'), TelemetryDataError);
    }
    assert.equal(mapper.toSample('istio_requests_total', series('source', 'a', 'b'), 0, 'o')?.value, 0);
  });
});
