import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportMain } from '../../src/cli/export.ts';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { runExperiment } from '../../src/experiment/index.ts';
import { captureLog, makeTempDir, requireBinaryOrSkip } from '../util.ts';

// Bug: an output folder that cannot be written gave "unexpected error (a bug…)" with a stack
// trace and a misleading `ENOENT, mkdir`, only after the mesh had started; a full disk named
// the wrong stage ("live detectors: ENOSPC") and left `*.tmp` files; `export --out` to an
// unwritable place gave a stack trace. Now file-system errors are user errors naming the path,
// the cause and the fix, checked before anything starts where possible.
const RUN = fileURLToPath(new URL('../fixtures/munnin-cybermonday-30k', import.meta.url));

const small = (outputDir: string) =>
  resolveParameters({
    outputDir,
    durationSeconds: 6,
    intervalSeconds: 1,
    telemetry: { source: 'scrape' },
    traffic: { generator: 'builtin', users: 2, shape: 'constant' },
    exfiltration: [],
    detectors: { trainingSeconds: 2, enabled: ['ewma'] },
  });

it('an output folder that cannot be written is refused before the mesh starts, naming it', async () => {
  const tmp = makeTempDir('munnin-disk-');
  const log = captureLog();
  try {
    writeFileSync(join(tmp.dir, 'a-file'), '');
    const outputDir = join(tmp.dir, 'a-file', 'experimental_data');
    await assert.rejects(runExperiment(small(outputDir), 'run1', { progress: false }), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.equal(e.message, `${join(outputDir, 'run1')}: cannot write the run there: ${join(tmp.dir, 'a-file')} is a file, not a folder; choose another outputDir in parameters.ts, or free the folder`);
      return true;
    });
    assert.doesNotMatch(log.text(), /mesh|starting/i, 'nothing was started');
  } finally {
    log.restore();
    tmp.remove();
  }
});

it('a full disk stops the experiment with one error naming the file, keeps what was recorded, and leaves no .tmp file', { timeout: 90_000 }, async () => {
  if (!existsSync('/dev/full')) return;
  const tmp = makeTempDir('munnin-disk-full-');
  const log = captureLog();
  try {
    // The run's snapshots land on a device that is always full (writes fail with ENOSPC).
    const dir = join(tmp.dir, 'run1');
    mkdirSync(dir);
    symlinkSync('/dev/full', join(dir, 'snapshots.ndjson'));
    await assert.rejects(runExperiment(small(tmp.dir), 'run1', { progress: false }), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.equal(e.message, `${join(dir, 'snapshots.ndjson')}: cannot record an interval: no space left on the device; free some space or choose a folder on another disk; the 0 interval(s) recorded before it are kept in ${dir} (run.json says complete: false)`);
      return true;
    });
    assert.doesNotMatch(log.text(), /live detectors/);
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
    assert.equal(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).complete, false);
  } finally {
    log.restore();
    tmp.remove();
  }
});

it('export --out to a place that cannot be written is one line naming it', async () => {
  const tmp = makeTempDir('munnin-disk-export-');
  try {
    writeFileSync(join(tmp.dir, 'a-file'), '');
    const out = join(tmp.dir, 'a-file', 'export');
    await assert.rejects(exportMain([RUN, '--out', out], () => {}), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.equal(e.message, `${out}: cannot write the export there: ${join(tmp.dir, 'a-file')} is a file, not a folder; choose another folder with --out, or free some space`);
      return true;
    });
  } finally {
    tmp.remove();
  }
});

it('Locust that cannot write its statistics says so in one line, without a Python traceback', { timeout: 60_000 }, async (t) => {
  if (!requireBinaryOrSkip(t, 'locust', 'python3-locust') || !existsSync('/proc/self')) return;
  const { createLocustTraffic } = await import('../../src/traffic/index.ts');
  const { startFakeFrontEnd } = await import('../traffic/fakeFrontEnd.ts');
  const shop = await startFakeFrontEnd();
  const log = captureLog();
  try {
    const traffic = resolveParameters({ traffic: { users: 1, shape: 'constant', thinkTimeScale: 0.05 } }).traffic;
    // A statistics file that cannot be created (nothing can be created in /proc): as a full or read-only disk.
    const gen = createLocustTraffic({ frontEndUrl: shop.url, traffic, durationSeconds: 10, statsFile: '/proc/munnin-locust-stats.json' });
    await gen.start();
    await new Promise((r) => setTimeout(r, 1500));
    const stats = await gen.stop();
    assert.equal(stats.statsMissing, true);
    assert.match(log.text('warn'), /cannot write the statistics to \/proc\/munnin-locust-stats\.json: \w/);
    assert.doesNotMatch(log.text(), /Traceback/);
  } finally {
    log.restore();
    await shop.close();
  }
});
