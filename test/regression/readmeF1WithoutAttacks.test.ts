import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Evaluator } from '../../src/evaluation/index.ts';
import type { Verdict } from '../../src/types.ts';

// Bug (README): the dashboard's "Runs" paragraph said that on a replay without attack
// intervals "F1 is undefined for every detector". summary.json's F1 is 2TP/(2TP + FP + FN):
// with no attack interval, TP = FN = 0, so a detector with a false alarm gets 0/FP = 0 (the
// per-run table shows 0.000) and only one without any alarm gets 0/0, undefined (null). The
// paragraph now says so; why no best detector is named there is unchanged.

/** Ten scored benign intervals (t = 5 … 50, 5 s each); `alarms` at the given t. */
function verdicts(detector: string, alarms: readonly number[]): Verdict[] {
  return Array.from({ length: 10 }, (_, i) => {
    const t = 5 * (i + 1);
    const alarm = alarms.includes(t);
    return { t, dt: 5, detector, training: false, gap: false, score: alarm ? 2 : 0.5, threshold: 1, alarm, blamed: [] };
  });
}

describe('F1 on a replay without attack intervals', () => {
  it('is 0 for a detector with false alarms and null for one without, as the README says', () => {
    const ev = new Evaluator('benign');
    for (const v of [...verdicts('noisy', [15, 40]), ...verdicts('quiet', [])]) ev.addVerdict(v);
    const { noisy, quiet } = ev.summary().detectors as Record<string, { tp: number; fp: number; fn: number; f1: number | null; precision: number | null }>;
    // noisy: TP 0, FP 2, FN 0 → F1 = 0 / (0 + 2 + 0) = 0, precision 0 / 2 = 0.
    assert.deepEqual([noisy!.tp, noisy!.fp, noisy!.fn, noisy!.f1, noisy!.precision], [0, 2, 0, 0, 0]);
    // quiet: TP 0, FP 0, FN 0 → F1 = 0 / 0, undefined.
    assert.deepEqual([quiet!.tp, quiet!.fp, quiet!.fn, quiet!.f1, quiet!.precision], [0, 0, 0, null, null]);

    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const runs = readme.slice(readme.indexOf('- **Runs**: every run in experimental_data/'), readme.indexOf('- **Sweeps**: every sweep folder'));
    assert.ok(runs.length > 0, "the dashboard's Runs paragraph");
    assert.doesNotMatch(runs, /undefined for every detector/);
    assert.match(runs, /F1 there is 0 for a detector with false alarms and undefined \(`null`\) for one without/);
  });
});
