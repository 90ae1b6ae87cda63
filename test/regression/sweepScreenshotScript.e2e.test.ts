// Bug: docs/dashboard-sweep.png, the README's picture of the sweep page, was made by hand and
// went stale: it still showed chart.js's canvas legend after the page listed each F1 chart's
// legend under it (59140b7). It is now made by scripts/screenshots.mjs; this test runs the
// script's shooting half (--data) on the dashboard tests' sweep, so a change to the page that
// breaks the script fails here instead of leaving the picture stale unseen. Real headless
// Chromium (Debian's `chromium`): skipped without it, except under CI=true.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumMissing } from '../dashboard/helpers.ts';
import { SWEEP, writeFixtureSweep } from '../dashboard/sweepFixture.ts';
import { assertDrawnPng } from '../report/pngCheck.ts';
import { captureLog, makeTempDir } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const missing = chromiumMissing();
const skip = missing !== undefined && process.env['CI'] !== 'true' ? missing : false;

describe('scripts/screenshots.mjs (regression)', { skip, timeout: 180_000 }, () => {
  it('shoots the whole sweep page of a replayed sweep at 1300 px, the F1 charts and their legends drawn', async (t) => {
    if (missing) throw new Error(`${missing}; CI=true requires it`);
    const tmp = makeTempDir('munnin-screenshot-script-');
    const log = captureLog();
    try {
      const data = join(tmp.dir, 'experimental_data');
      mkdirSync(data);
      await writeFixtureSweep(data);
      const out = join(tmp.dir, 'sweep.png');
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        // t.signal: a time-out stops the script (and it its dashboard) rather than leave them running.
        const child = spawn(process.execPath, [join(ROOT, 'scripts', 'screenshots.mjs'), '--data', data, '--sweep', SWEEP.name, '--out', out], { cwd: tmp.dir, stdio: ['ignore', 'pipe', 'pipe'], signal: t.signal });
        child.on('error', () => {}); // the abort's AbortError: 'close' follows and settles the promise
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('close', (c) => resolve({ code: c, output }));
      });
      assert.equal(code, 0, output);
      assert.match(output, new RegExp(`written: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
      const size = await assertDrawnPng(out);
      assert.equal(size.width, 1300);
      // The whole page, not the 900-px window: the sweep's axes, comparison, charts and runs.
      assert.ok(size.height > 900, `height ${size.height}`);
    } finally {
      log.restore();
      tmp.remove();
    }
  });
});
