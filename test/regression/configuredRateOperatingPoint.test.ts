import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeReport } from '../../src/report/index.ts';
import { makeTempDir, writeRunFiles } from '../util.ts';

// Bug: the report's operating-point table showed the fixed rates (summary.json's, 1 % and
// 0.1 %) only, whatever `detectors.falseAlarmRate` the replay was given: a researcher who set
// 0.05 could not read the detectors' ROC at the rate their thresholds were calibrated to. Now
// the table has the configured rate's column too, first, marked as the configured one.
const BASE = 1_800_000_000;

/**
 * A run of `scores.length` 1-s intervals on one edge with an exfiltration over [start, end)
 * seconds after BASE, and its replay folder holding a scores.csv of detector `zeta` with those
 * scores (threshold 100) and `summary` as summary.json. Returns the run's and replay's folders.
 */
function writeScoredRun(dir: string, scores: readonly number[], attack: { start: number; end: number }, summary: unknown): { runDir: string; replayDir: string } {
  let snapshots = '';
  for (let i = 1; i <= scores.length; i++) snapshots += `${JSON.stringify({ t: BASE + i, dt: 1, edges: [{ src: 'a', dst: 'b', response_bytes: 1000 }] })}\n`;
  const runDir = writeRunFiles(join(dir, 'run'), {
    manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['response_bytes'] },
    snapshots,
    events: `${JSON.stringify({ kind: 'exfiltration', start: BASE + attack.start, end: BASE + attack.end })}\n`,
  });
  const replayDir = join(runDir, 'replay');
  writeRunFiles(replayDir, {});
  writeFileSync(join(replayDir, 'scores.csv'), `t,detector,score,threshold,alarm\n${scores.map((s, i) => `${BASE + i + 1},zeta,${s},100,false\n`).join('')}`);
  writeFileSync(join(replayDir, 'summary.json'), JSON.stringify(summary));
  return { runDir, replayDir };
}

/** The report's operating-point section and its column headers. */
function operatingPoints(replayDir: string): { section: string; headers: (string | undefined)[] } {
  const page = readFileSync(join(replayDir, 'report.html'), 'utf8');
  const section = page.slice(page.indexOf('id="operating-points"'), page.indexOf('id="attacks"'));
  return { section, headers: [...section.matchAll(/<th colspan="3"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]) };
}

it('the operating-point table adds the configured falseAlarmRate, read off the ROC, beside the fixed rates', async () => {
  const tmp = makeTempDir('munnin-configured-rate-');
  try {
    // 25 intervals of 1 s: 20 benign, then an attack over the last 5 (no grace interval after it).
    // Benign scores 1..20 (shuffled), attack scores 19.5, 18.5, 25, 3, 19.
    const benign = [7, 3, 12, 1, 20, 5, 16, 9, 2, 18, 11, 4, 14, 19, 6, 10, 8, 13, 17, 15];
    const attack = [19.5, 18.5, 25, 3, 19];
    // summary.json as a replay writes it, with its fixed rates. Hand-read ROC: at 1 % and 0.1 %,
    // ⌊r × 20⌋ = 0 benign may score above: threshold 20 (the highest), attacks above it: 25 → 1/5.
    const fixed = [0.01, 0.001].map((fpr) => ({ fpr, threshold: 20, tpr: 0.2, achievedFpr: 0 }));
    const { runDir, replayDir } = writeScoredRun(tmp.dir, [...benign, ...attack], { start: 20, end: 25 }, { run: 'r', detectors: { zeta: { tp: 0, fp: 0, tn: 20, fn: 5, operatingPoints: fixed } } });

    await writeReport({ runDir, replayDir, progress: false, parameters: { detectors: { falseAlarmRate: 0.05, enabled: ['zeta'] } } });
    const { section, headers } = operatingPoints(replayDir);
    assert.deepEqual(headers, ['at 5.0 % false alarms (configured)', 'at 1.0 % false alarms', 'at 0.1 % false alarms']);
    const row = section.match(/zeta<\/th>([\s\S]*?)<\/tr>/)?.[1] ?? '';
    const cells = [...row.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
    // At 5 %: ⌊0.05 × 20⌋ = 1 benign may score above, so the threshold is the second highest
    // benign score, 19; attacks above 19: 19.5 and 25 (19 itself does not alarm) → 2/5 = 40 %;
    // benign above 19: 20 → 1/20 = 5 %. Thresholds are shown to three significant digits.
    assert.deepEqual(cells, ['19.0', '40.0 %', '5.0 %', '20.0', '20.0 %', '0.0 %', '20.0', '20.0 %', '0.0 %']);
  } finally {
    tmp.remove();
  }
});

it('without a configured rate (a report written from files alone) the table keeps the fixed rates', async () => {
  const tmp = makeTempDir('munnin-configured-rate-');
  try {
    const { runDir, replayDir } = writeScoredRun(tmp.dir, [1, 2, 3, 4], { start: 3, end: 4 }, { run: 'r', detectors: { d: {} } });
    await writeReport({ runDir, replayDir, progress: false });
    const { headers } = operatingPoints(replayDir);
    assert.deepEqual(headers, ['at 1.0 % false alarms', 'at 0.1 % false alarms']);
  } finally {
    tmp.remove();
  }
});
