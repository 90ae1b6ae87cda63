// The scrape interval munnin assumes comes from the Prometheus's own configuration: the
// slowest job that can scrape the sidecars, else the global interval, else Prometheus's 1m.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_MANIFESTS_DIR, parseManifestFile, scrapeIntervalOf } from '../../src/k8s/index.ts';

describe('scrapeIntervalOf', () => {
  it("reads munnin's own Prometheus (istio/prometheus/prometheus.yaml) as 1 s", () => {
    const cm = parseManifestFile(`${DEFAULT_MANIFESTS_DIR}/prometheus/prometheus.yaml`).find((m) => m.object.kind === 'ConfigMap')!.object;
    assert.deepEqual(scrapeIntervalOf(parse((cm['data'] as Record<string, string>)['prometheus.yml']!)), { seconds: 1, jobs: ['envoy-stats'] });
  });

  it("reads Istio's add-on as 15 s (kubernetes-pods; the -slow job is only for pods annotated so)", () => {
    const config = {
      global: { scrape_interval: '15s' },
      scrape_configs: [
        { job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'] }] },
        { job_name: 'kubernetes-pods', kubernetes_sd_configs: [{ role: 'pod' }] },
        { job_name: 'kubernetes-pods-slow', scrape_interval: '5m', kubernetes_sd_configs: [{ role: 'pod' }] },
      ],
    };
    assert.deepEqual(scrapeIntervalOf(config), { seconds: 15, jobs: ['kubernetes-pods'] });
  });

  it('takes a job\'s own interval over the global one, the slowest of several, and 60 s when nothing is set', () => {
    assert.deepEqual(scrapeIntervalOf({ global: { scrape_interval: '1s' }, scrape_configs: [{ job_name: 'a', metrics_path: '/stats/prometheus', scrape_interval: '500ms' }, { job_name: 'b', metrics_path: '/stats/prometheus', scrape_interval: '2s' }] }), { seconds: 2, jobs: ['a', 'b'] });
    assert.deepEqual(scrapeIntervalOf({}), { seconds: 60, jobs: [] });
    assert.deepEqual(scrapeIntervalOf({ global: { scrape_interval: 'soon' } }), { error: 'global.scrape_interval "soon" is not a duration' });
  });
});
