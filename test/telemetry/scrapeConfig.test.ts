import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UserError } from '../../src/errors.ts';
import { findBinary, scrapeConfig, startManagedPrometheus, startManagedVictoriaMetrics } from '../../src/telemetry/index.ts';
import { makeTempDir } from '../util.ts';

describe('scrapeConfig', () => {
  it('lists every sidecar with its own path, scheme, query and workload label', () => {
    const config = parse(
      scrapeConfig(
        [
          { workload: 'front-end', url: 'http://127.0.0.1:41001/stats/prometheus' },
          { workload: 'user "db"', url: 'https://127.0.0.1:41002/metrics?format=prometheus&x=1' },
        ],
        1,
        0.5,
      ),
    ) as { global: Record<string, string>; scrape_configs: { job_name: string; static_configs: { targets: string[]; labels: Record<string, string> }[] }[] };
    assert.deepEqual(config.global, { scrape_interval: '1000ms', scrape_timeout: '500ms' });
    assert.equal(config.scrape_configs.length, 1);
    assert.equal(config.scrape_configs[0]?.job_name, 'munnin-sidecars');
    assert.deepEqual(config.scrape_configs[0]?.static_configs, [
      { targets: ['127.0.0.1:41001'], labels: { workload: 'front-end', __metrics_path__: '/stats/prometheus', __scheme__: 'http' } },
      { targets: ['127.0.0.1:41002'], labels: { workload: 'user "db"', __metrics_path__: '/metrics', __scheme__: 'https', __param_format: 'prometheus', __param_x: '1' } },
    ]);
  });
});

describe('findBinary', () => {
  it('finds executables on PATH or by path, and nothing else', () => {
    const tmp = makeTempDir();
    try {
      const tool = join(tmp.dir, 'munnin-tool');
      writeFileSync(tool, '#!/bin/sh\n');
      chmodSync(tool, 0o755);
      const plain = join(tmp.dir, 'munnin-plain');
      writeFileSync(plain, 'not executable');
      assert.equal(findBinary('munnin-tool', `/nonexistent:${tmp.dir}`), tool);
      assert.equal(findBinary(tool), tool);
      assert.equal(findBinary('munnin-plain', tmp.dir), undefined);
      assert.equal(findBinary(plain), undefined);
      assert.equal(findBinary('munnin-no-such-tool', tmp.dir), undefined);
      assert.equal(findBinary(tmp.dir.split('/').at(-1)!, join(tmp.dir, '..')), undefined, 'a directory is no executable');
    } finally {
      tmp.remove();
    }
  });
});

describe('startManagedPrometheus / startManagedVictoriaMetrics options', () => {
  const target = { workload: 'front-end', url: 'http://127.0.0.1:1/stats/prometheus' };
  it('rejects what cannot work before starting anything', async () => {
    assert.throws(() => startManagedPrometheus({ targets: [] }), (e) => e instanceof UserError && /targets is empty/.test(e.message));
    assert.throws(() => startManagedPrometheus({ targets: [target, { ...target, workload: 'again' }] }), (e) => e instanceof UserError && /listed twice/.test(e.message));
    assert.throws(() => startManagedPrometheus({ targets: [target], scrapeIntervalSeconds: 0 }), (e) => e instanceof UserError && /scrapeIntervalSeconds must be at least 0\.1, not 0/.test(e.message));
    assert.throws(() => startManagedPrometheus({ targets: [target], retentionTime: 'forever' }), (e) => e instanceof UserError && /retentionTime .* "forever"/.test(e.message));
    assert.throws(() => startManagedPrometheus({ targets: [target], binary: '/nonexistent/prometheus' }), (e) => e instanceof UserError && /"\/nonexistent\/prometheus" is not an executable file/.test(e.message));
    assert.throws(() => startManagedVictoriaMetrics({ targets: [target], port: -5, binary: '/bin/sh' }), (e) => e instanceof UserError && /port must be a positive whole number, not -5/.test(e.message));
  });

  it('explains how to install a missing binary', () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      assert.throws(() => startManagedPrometheus({ targets: [target] }), (e) => e instanceof UserError && e.message === 'prometheus not found on PATH: install it (apt-get install -y prometheus) or set telemetry.prometheus.binary');
    } finally {
      process.env['PATH'] = path;
    }
  });
});
