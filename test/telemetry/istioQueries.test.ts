import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createIstioMapper, downTargetsExpr, downTargetsReason, istioQueries, newestSampleExpr } from '../../src/telemetry/index.ts';

describe('istioQueries', () => {
  it('one sum per kept metric, by edge, reporter and sidecar; a namespace as two or-ed label matchers', () => {
    const mapper = createIstioMapper({ metrics: ['requests', 'tcp_sent_bytes'] });
    const by = 'source_workload, source_workload_namespace, destination_service_name, destination_workload, destination_service_namespace, reporter, instance, pod';
    assert.deepEqual(istioQueries(mapper), [
      { istioName: 'istio_requests_total', selector: 'istio_requests_total', parts: ['istio_requests_total'], expr: `sum by (${by}) (istio_requests_total)` },
      { istioName: 'istio_tcp_sent_bytes_total', selector: 'istio_tcp_sent_bytes_total', parts: ['istio_tcp_sent_bytes_total'], expr: `sum by (${by}) (istio_tcp_sent_bytes_total)` },
    ]);
    const [q] = istioQueries(mapper, { namespace: 'shop-2' });
    assert.equal(q?.selector, 'istio_requests_total{source_workload_namespace="shop-2"} or istio_requests_total{destination_service_namespace="shop-2"}');
    assert.equal(q?.expr, `sum by (${by}) (${q?.selector})`);
    assert.deepEqual(q?.parts, ['istio_requests_total{source_workload_namespace="shop-2"}', 'istio_requests_total{destination_service_namespace="shop-2"}']);
    // A label value is never spliced in unchecked.
    assert.throws(() => istioQueries(mapper, { namespace: 'x"} or vector(1) #' }), /--namespace: expected a Kubernetes namespace name/);
  });
});

describe('downTargetsExpr', () => {
  it('the failed `up` series of targets that served a queried metric within 5 minutes, joined on instance', () => {
    const mapper = createIstioMapper({ metrics: ['requests', 'tcp_sent_bytes'] });
    assert.equal(
      downTargetsExpr(istioQueries(mapper, { namespace: 'shop' })),
      'up == 0 and on (instance) (' +
        'group by (instance) (last_over_time(istio_requests_total{source_workload_namespace="shop"}[5m])) or ' +
        'group by (instance) (last_over_time(istio_requests_total{destination_service_namespace="shop"}[5m])) or ' +
        'group by (instance) (last_over_time(istio_tcp_sent_bytes_total{source_workload_namespace="shop"}[5m])) or ' +
        'group by (instance) (last_over_time(istio_tcp_sent_bytes_total{destination_service_namespace="shop"}[5m])))',
    );
    assert.equal(downTargetsReason([]), undefined);
    assert.equal(downTargetsReason([{ instance: 'b:1' }, { instance: 'a:1' }, { instance: 'c:1' }, { instance: 'd:1' }]), 'last scrape failed for target(s) a:1, b:1, c:1 and 1 more');
  });
});

describe('newestSampleExpr', () => {
  it('the newest sample time over every metric, one query, each metric kept apart from the others by a label of its own', () => {
    const mapper = createIstioMapper({ metrics: ['requests', 'tcp_sent_bytes'] });
    assert.equal(
      newestSampleExpr(istioQueries(mapper)),
      'max(label_replace(max(timestamp(istio_requests_total)), "munnin_metric", "0", "", "") or label_replace(max(timestamp(istio_tcp_sent_bytes_total)), "munnin_metric", "1", "", ""))',
    );
  });
});
