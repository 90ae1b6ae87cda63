import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createIstioMapper, istioQueries } from '../../src/telemetry/index.ts';

describe('istioQueries', () => {
  it('one sum per kept metric, by edge, reporter and sidecar; a namespace as two or-ed label matchers', () => {
    const mapper = createIstioMapper({ metrics: ['requests', 'tcp_sent_bytes'] });
    const by = 'source_workload, source_workload_namespace, destination_service_name, destination_workload, destination_service_namespace, reporter, instance, pod';
    assert.deepEqual(istioQueries(mapper), [
      { istioName: 'istio_requests_total', selector: 'istio_requests_total', expr: `sum by (${by}) (istio_requests_total)` },
      { istioName: 'istio_tcp_sent_bytes_total', selector: 'istio_tcp_sent_bytes_total', expr: `sum by (${by}) (istio_tcp_sent_bytes_total)` },
    ]);
    const [q] = istioQueries(mapper, { namespace: 'shop-2' });
    assert.equal(q?.selector, 'istio_requests_total{source_workload_namespace="shop-2"} or istio_requests_total{destination_service_namespace="shop-2"}');
    assert.equal(q?.expr, `sum by (${by}) (${q?.selector})`);
    // A label value is never spliced in unchecked.
    assert.throws(() => istioQueries(mapper, { namespace: 'x"} or vector(1) #' }), /--namespace: expected a Kubernetes namespace name/);
  });
});
