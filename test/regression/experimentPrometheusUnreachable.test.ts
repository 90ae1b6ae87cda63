// Bug: `experiment --prometheus-url <unreachable>` warned "cannot read telemetry …; intervals are
// recorded as gaps until it recovers", then started the mesh, the traffic and the exfiltrations
// and wrote a run with no usable interval. Now the experiment reads the URL once before
// starting anything, as `record` does: one error naming the URL and the cause, no run written.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { runExperiment } from '../../src/experiment/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

describe('an experiment told to read an unreachable Prometheus (regression)', () => {
  const tmp = makeTempDir('munnin-unreachable-prom-');
  const log = captureLog();
  after(() => {
    log.restore();
    tmp.remove();
  });

  it('fails before starting anything, naming the URL and the cause', async () => {
    // Port 9 (discard) has no listener here: the connection is refused at once.
    const params = resolveParameters({
      outputDir: tmp.dir,
      durationSeconds: 4,
      intervalSeconds: 1,
      telemetry: { prometheus: { url: 'http://127.0.0.1:9' } },
      traffic: { generator: 'builtin', users: 1 },
      exfiltration: [{ atSeconds: 1, bytes: 1000, method: 'api' }],
      detectors: { enabled: ['ewma'], trainingSeconds: 2 },
    });
    const notes: string[] = [];
    await assert.rejects(runExperiment(params, 'pu', { progress: false, onEvent: (e) => notes.push(e.kind) }), (e: unknown) => {
      assert.ok(e instanceof UserError, `a UserError, not ${String(e)}`);
      assert.match(e.message, /^telemetry\.prometheus\.url: cannot read http:\/\/127\.0\.0\.1:9\/?: .*(ECONNREFUSED|refused|fetch failed)/i);
      return true;
    });
    assert.equal(existsSync(join(tmp.dir, 'pu')), false, 'no run folder');
    assert.deepEqual(notes, [], 'no event: nothing was started');
    assert.ok(!log.text().includes('recorded as gaps'), `no outage warning, got: ${log.text()}`);
  });
});
