import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParameters } from '../../src/config/index.ts';
import { runExperiment } from '../../src/experiment/index.ts';
import { captureLog, makeTempDir, readRunBack } from '../util.ts';

// Ctrl-C during a slow scan (the CLI's Ctrl-C aborts this signal): the scan stops before its
// next target and is recorded with what it did; the lateral movement not yet due never happens.
describe('an experiment interrupted during a slow scan', { timeout: 60_000 }, () => {
  const tmp = makeTempDir('munnin-attacks-abort-');
  const log = captureLog();
  after(() => {
    log.restore();
    tmp.remove();
  });

  it('keeps the scan as incomplete, with its tries so far, and starts nothing after', async () => {
    const params = resolveParameters({
      outputDir: tmp.dir,
      durationSeconds: 30,
      intervalSeconds: 1,
      telemetry: { source: 'scrape' },
      traffic: { generator: 'builtin', users: 2, shape: 'constant' },
      mesh: { customers: 20 },
      exfiltration: [],
      scan: [{ atSeconds: 1, workload: 'user', secondsBetweenTargets: 1.5, otherPorts: [22] }],
      lateral: [{ atSeconds: 20, workload: 'user', to: 'orders-db' }],
      detectors: { trainingSeconds: 10, enabled: ['new-edge'] },
    });
    const controller = new AbortController();
    let intervals = 0;
    const result = await runExperiment(params, 'abort', {
      progress: false,
      signal: controller.signal,
      onSnapshot: () => {
        if (++intervals === 6) controller.abort();
      },
    });
    assert.equal(result.complete, false);
    const { events, manifest } = await readRunBack(result.dir);
    assert.equal(manifest.complete, false);
    const attacks = events.filter((e) => e.kind !== 'load-change');
    assert.deepEqual(attacks.map((e) => e.kind), ['scan']);
    const scan = attacks[0]!;
    assert.equal(scan['incomplete'], true);
    assert.equal(scan['reason'], 'scan aborted');
    // Aborted ~5 s in, a few targets done (each tried on its port, then on port 22), far from all 13.
    const attempts = scan['attempts'] as number;
    assert.ok(attempts >= 2 && attempts < 13 * 2, `attempts ${attempts}`);
    assert.equal(scan['answered'], Math.ceil(attempts / 2), 'each service answered on its own port, never on 22');
    assert.equal(log.text('error'), '');
  });
});
