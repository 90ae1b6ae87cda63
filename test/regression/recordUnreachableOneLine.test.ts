import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { recordMesh } from '../../src/record/index.ts';
import { createPrometheusSource } from '../../src/telemetry/index.ts';
import { captureLog, makeTempDir } from '../util.ts';
import { refusingUrl } from '../telemetry/fakeSidecars.ts';

// Bug: `record` against an unreachable Prometheus printed "warn: prometheus source (...):
// cannot read telemetry (connection refused); intervals are recorded as gaps until it
// recovers" and, right after, "error: cannot read ...: connection refused": its check before
// recording went through the outage log meant for reads while recording. Now the check is a
// probe that logs nothing, and only the error shows.
it('record on an unreachable Prometheus: the error alone, no gap warning, no run', async () => {
  const tmp = makeTempDir();
  const log = captureLog();
  try {
    const url = await refusingUrl();
    const params = resolveParameters({ outputDir: tmp.dir, durationSeconds: 3600, intervalSeconds: 15, telemetry: { prometheus: { url } } } as never);
    await assert.rejects(recordMesh(params, 'run', { progress: false }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `cannot read ${url}: connection refused`);
      return true;
    });
    assert.deepEqual(log.messages.filter((m) => m.level === 'warn' || m.level === 'error'), []);
    assert.equal(existsSync(join(tmp.dir, 'run')), false);
    // While recording, a failed read still warns once that gaps follow.
    const source = createPrometheusSource({ url });
    assert.equal((await source.read(1000)).kind, 'fault');
    assert.match(log.text('warn'), /cannot read telemetry \(connection refused\); intervals are recorded as gaps until it recovers/);
  } finally {
    log.restore();
    tmp.remove();
  }
});
