import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseVariant, replayVariants } from '../../src/dashboard/replayVariants.ts';
import { makeTempDir } from '../util.ts';

// Bug: the dashboard's replay picker of a sweep run sorted its variant folders as text:
// `k=2_inject=20000, k=2_inject=200000, k=2_inject=60000` (and k=10 before k=2), while the
// F1 charts order the same rates by value. Variants are now ordered axis by axis, numbers by
// value (decimals and negatives too), other labels as text with their digit runs by value
// (v2 before v10); the plain replay/ stays first.

/** A run folder holding a summary.json in replay/ (when `plain`) and in each variant folder given. */
function runWith(dir: string, variants: readonly string[], plain = false): string {
  for (const v of variants) {
    mkdirSync(join(dir, 'replay', v), { recursive: true });
    writeFileSync(join(dir, 'replay', v, 'summary.json'), '{}');
  }
  if (plain) writeFileSync(join(dir, 'replay', 'summary.json'), '{}');
  return dir;
}

describe('the replay variants of a sweep run', () => {
  const tmp = makeTempDir('munnin-variant-order-');
  after(() => tmp.remove());

  it('are ordered by the swept values, not as text', async () => {
    const run = runWith(join(tmp.dir, 'rates'), ['k=2_inject=20000', 'k=2_inject=200000', 'k=2_inject=60000', 'k=10_inject=20000', 'k=2.5_inject=20000']);
    // By k (2 < 2.5 < 10), then by the injected rate (20 kB < 60 kB < 200 kB).
    const expected = ['k=2_inject=20000', 'k=2_inject=60000', 'k=2_inject=200000', 'k=2.5_inject=20000', 'k=10_inject=20000'];
    assert.deepEqual(await replayVariants(run), expected);
    // The page shows the first when none is asked for: the lowest values.
    assert.equal(chooseVariant(await replayVariants(run), undefined, 'rates'), 'k=2_inject=20000');
  });

  it('order negatives and decimals by value, other labels as text with numbers in them by value, the plain replay first', async () => {
    const run = runWith(join(tmp.dir, 'mixed'), ['rate=0.25', 'rate=-1', 'rate=0.5', 'rate=1e-3'], true);
    assert.deepEqual(await replayVariants(run), ['', 'rate=-1', 'rate=1e-3', 'rate=0.25', 'rate=0.5']);
    const labels = runWith(join(tmp.dir, 'labels'), ['schedule=v10', 'schedule=v2', 'schedule=v1', 'shape=constant', 'shape=bursty']);
    assert.deepEqual(await replayVariants(labels), ['schedule=v1', 'schedule=v2', 'schedule=v10', 'shape=bursty', 'shape=constant']);
  });
});
