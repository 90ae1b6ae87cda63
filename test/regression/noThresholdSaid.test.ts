import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { compareRuns, formatRunsComparison, formatSummaryTable } from '../../src/evaluation/index.ts';
import { compareSummaries, formatComparisonTable } from '../../src/sweep/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { buildReportModel } from '../../src/report/buildReportModel.ts';
import { summaryTable } from '../../src/report/html/tables.ts';
import { loadReportInputs } from '../../src/report/loadReportInputs.ts';
import type { Snapshot } from '../../src/types.ts';
import { captureLog, makeTempDir, readJson, writeRunFiles } from '../util.ts';
import { smallMeshRun } from './smallMeshRun.ts';

// Bug (testers th 5, ti 5): a detector whose limit had no threshold yet (NaN: fewer than
// MIN_CALIBRATION_SCORES = 20 scores learnt) over the whole run, or over a recorded attack's
// intervals, was reported as FPR 0.000 / TPR 0 without a word (a 40-s sweep run: "10 of 11
// detectors miss a 400 kB exfiltration"; a 60-s-interval run: pca-subspace "FPR 0.000", best of
// all); only --inject windows were warned about. The figures stay as run-format.md defines them,
// but summary.json now counts the intervals judged without a threshold, the replay warns, and
// the table marks such detectors.
const tmp = makeTempDir('munnin-no-threshold-');
after(() => tmp.remove());
const BASE = 1_700_000_000;

/** A run folder of the small mesh (2-s intervals from BASE), with exfiltrations (interval index → bytes) recorded in events.ndjson. */
function writeRun(name: string, intervals: number, attacks: ReadonlyMap<number, number>): string {
  const snapshots = smallMeshRun({ intervals, attacks })
    .map((s: Snapshot) => JSON.stringify({ t: s.t, dt: s.dt, edges: s.edges.map((e) => ({ src: e.src, dst: e.dst, ...e.values })) }))
    .join('\n');
  // Interval i is (BASE + 2i, BASE + 2i + 2].
  const events = [...attacks].map(([i, bytes]) => JSON.stringify({ kind: 'exfiltration', start: BASE + 2 * i, end: BASE + 2 * i + 2, bytes, path: ['user-db', 'user', 'front-end', 'external'], method: 'api' }));
  return writeRunFiles(join(tmp.dir, name), {
    manifest: { format: 'munnin-run/1', name, intervalSeconds: 2, metrics: ['requests', 'request_bytes', 'response_bytes'], complete: true },
    snapshots: `${snapshots}\n`,
    events: `${events.join('\n')}\n`,
  });
}

describe('a detector without a threshold where it mattered', () => {
  it('that never had one (a run shorter than its limit needs) is counted, warned about and marked', async () => {
    // 18 intervals of 2 s, 20 s of training: 10 train, 8 are scored, fewer than the 20 scores any
    // limit needs even counting every training score. The attack is interval 13 ((26, 28] s);
    // interval 14 is its grace interval, so 7 intervals are counted: 1 attack, 6 benign.
    const dir = writeRun('short', 18, new Map([[13, 400_000]]));
    const detectors = resolveParameters({ detectors: { trainingSeconds: 20, enabled: ['ewma', 'control-chart'] } }).detectors;
    const log = captureLog();
    const { summary } = await runReplay(dir, { outDir: join(dir, 'replay'), detectors });
    log.restore();
    for (const name of ['ewma', 'control-chart']) {
      const d = readJson(dir, 'replay', 'summary.json').detectors[name];
      assert.deepEqual([d.tp, d.fp, d.tn, d.fn, d.fpr, d.tpr], [0, 0, 6, 1, 0, 0], `${name}: the figures as run-format.md defines them`);
      assert.equal(d.uncalibratedIntervals, 7, `${name}: every counted interval without a threshold`);
      assert.equal(d.uncalibratedAttackIntervals, 1, name);
    }
    const warning = log.messages.filter((m) => m.level === 'warn' && /never set a threshold/.test(m.message));
    assert.equal(warning.length, 1, 'both detectors in one line');
    assert.match(warning[0]!.message, /^ewma, control-chart: never set a threshold: none of the 7 scored interval\(s\) had one/);
    assert.match(warning[0]!.message, /FPR 0\.000 here means not judged, not quiet, and every attack interval counts as missed/);
    // Calibration: 20 intervals of 2 s after the 20-s training, by 60 s; the run is 36 s long.
    assert.ok(warning[0]!.message.endsWith("missed; a limit has no threshold until it has learnt 20 scores, training's for some detectors, so usually by 20 intervals after training (here 60 s), and the run ends at 36 s: replay a longer run, or train less with --training"), warning[0]!.message);
    const table = formatSummaryTable(summary);
    assert.match(table, /\newma \*  /);
    assert.match(table, /\n\* ewma, control-chart: no threshold on any of the 7 scored interval\(s\): never judged, so FPR 0\.000 says nothing and no attack could be caught/);
    // The report's table: marked, with the same footnote.
    const html = String(summaryTable(buildReportModel(await loadReportInputs(dir, join(dir, 'replay')), {})));
    assert.match(html, /ewma \*<\/th>/);
    assert.match(html, /<p class="note">\* ewma, control-chart: no threshold on any of the 7 scored interval\(s\)/);
  });

  it('that had none on a recorded attack right after training is counted, warned about and marked; a later attack is not', async () => {
    // 60 intervals, 20 s of training (10 intervals). Attack at interval 13 ((26, 28] s): 3 scored
    // intervals after training, 13 scores at most, no threshold yet. Attack at interval 50: 40
    // scored intervals after training, a threshold by then.
    const dir = writeRun('early-attack', 60, new Map([[13, 400_000], [50, 400_000]]));
    const detectors = resolveParameters({ detectors: { trainingSeconds: 20, enabled: ['ewma'] } }).detectors;
    const log = captureLog();
    const { summary } = await runReplay(dir, { outDir: join(dir, 'replay'), detectors });
    log.restore();
    const d = readJson(dir, 'replay', 'summary.json').detectors.ewma;
    assert.equal(d.tp + d.fn, 2);
    assert.equal(d.uncalibratedAttackIntervals, 1);
    assert.ok(d.uncalibratedIntervals >= 1 && d.uncalibratedIntervals < d.tp + d.fp + d.tn + d.fn, `${d.uncalibratedIntervals} of the counted intervals`);
    const warnings = log.messages.filter((m) => m.level === 'warn' && /no threshold yet/.test(m.message)).map((m) => m.message);
    assert.deepEqual(warnings, [
      'ewma: no threshold yet on 1 of the 2 attack interval(s) (exfiltration at +26 s), so no alarm was possible there and they count as missed ' +
        "(a limit has no threshold until it has learnt 20 scores, training's for some detectors, so usually by 20 intervals after training (here 60 s): start the attacks after it, or train less with --training)",
    ]);
    const table = formatSummaryTable(summary);
    assert.match(table, /\n\* ewma: no threshold on 1 of the 2 attack interval\(s\): no alarm was possible there \(counted as missed\)/);
  });

  it('an injected attack in that stretch gets the --inject warning before, and the measured one after', async () => {
    const dir = writeRun('injected', 60, new Map());
    const detectors = resolveParameters({ detectors: { trainingSeconds: 20, enabled: ['ewma'] } }).detectors;
    const log = captureLog();
    await runReplay(dir, { outDir: join(dir, 'replay'), detectors, inject: [{ bytesPerInterval: 400_000, at: [{ startSeconds: 26, endSeconds: 28 }] }] });
    log.restore();
    assert.equal(readJson(dir, 'replay', 'summary.json').detectors.ewma.uncalibratedAttackIntervals, 1);
    assert.match(log.text('warn'), /--inject 400000@26-28: starts while the detectors' limits may still be calibrating/);
    // Tester G (6 Dec): the --inject warning can only say "may" (some detectors' training gives them their 20 scores); the replay measures it.
    assert.match(log.text('warn'), /ewma: no threshold yet on 1 of the 1 attack interval\(s\) \(exfiltration at \+26 s\)/);
  });

  it("that never had one for a reason of its own (pca-subspace, 1 training interval) says so, and the comparisons mark it", async () => {
    // 40 intervals of 2 s, 2 s of training: pca-subspace fits nothing on 1 interval and scores
    // none of the 39 others; ewma calibrates on them. No attack: 39 counted intervals.
    const dir = writeRun('one-training-interval', 40, new Map());
    const detectors = resolveParameters({ detectors: { trainingSeconds: 2, enabled: ['ewma', 'pca-subspace'] } }).detectors;
    const log = captureLog();
    const result = await runReplay(dir, { outDir: join(dir, 'replay'), detectors });
    log.restore();
    const pca = result.summary.detectors['pca-subspace']!;
    assert.deepEqual([pca.tn, pca.fpr, pca.uncalibratedIntervals, pca.uncalibratedAttackIntervals], [39, 0, 39, 0]);
    const warnings = log.messages.filter((m) => m.level === 'warn' && /never set a threshold/.test(m.message)).map((m) => m.message);
    assert.deepEqual(warnings, [
      "pca-subspace: never set a threshold: none of the 39 scored interval(s) had one, so no alarm was possible; FPR 0.000 here means not judged, not quiet; " +
        "39 scored intervals are more than a limit needs to calibrate, so the cause is the detector's own: see its warning above (e.g. lengthen the training with --training)",
    ]);
    // A folder of two such runs: pca-subspace marked in both, ewma in neither.
    const runs = [{ run: 'a', ...result }, { run: 'b', ...result }];
    const comparison = compareRuns(runs, 0.01);
    assert.deepEqual(comparison.uncalibratedRuns, { ewma: 0, 'pca-subspace': 2 });
    const printed = formatRunsComparison(comparison, 2);
    assert.match(printed, /\npca-subspace \*\s/);
    assert.match(printed, /\newma\s/);
    assert.match(printed, /pca-subspace in 2 of the runs/);
    // A sweep's comparison: the row counts the replays where it is marked, and the table marks it.
    const rows = compareSummaries([{ run: 'r1', repeat: 1, variant: '', axisValues: {}, injectBytesPerInterval: null, file: 'x', detectors: result.summary.detectors }], []);
    assert.deepEqual(rows.map((r) => [r.detector, r.uncalibratedRuns]), [['ewma', 0], ['pca-subspace', 1]]);
    assert.match(formatComparisonTable(rows, [], false), /\npca-subspace \*\s/);
  });
});
