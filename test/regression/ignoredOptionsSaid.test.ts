import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectorSettings } from '../../src/cli/replayCommand.ts';
import { detectorOptionWarnings } from '../../src/detectors/index.ts';
import { replaySweep } from '../../src/sweep/index.ts';
import { captureLog, makeTempDir } from '../util.ts';
import { writeFixtureSweepFolder } from '../sweep/fixtureSweepFolder.ts';

// Bug: detector options where one setting has no effect beside (or without) another were
// resolved silently: ewma's `multipleComparisons` without `k` (the calibrated limit is used),
// `falseAlarmRate` beside `k` (the fixed k is used); the same in control-chart, pair-ratio and
// three-tier (the same fields), pca-subspace's `falseAlarmRate` beside `alpha`, eigenspace's
// beside `criticalProbability`, and eigenspace's `discount` without `criticalProbability` (it
// weights only the paper's law). Each is now a warning naming the file, the field with no
// effect and the one that wins, said once where the parameters are checked.

const CALIBRATED_WINS = 'the limit calibrated to the false-alarm rate is used and wins, family-wise already; multipleComparisons only adjusts a fixed k to the number of series judged';
const K_WINS = 'a fixed limit of k standard deviations is used, not one calibrated to a false-alarm rate';

describe('detector settings with no effect', () => {
  it('are said for each combination, naming the field with no effect and the one that wins', () => {
    const options = {
      ewma: { multipleComparisons: 'bonferroni' },
      'control-chart': { k: 3, falseAlarmRate: 0.001 },
      'pair-ratio': { multipleComparisons: 'none' },
      'three-tier': { k: 4, falseAlarmRate: 0.02, multipleComparisons: 'bonferroni' },
      'pca-subspace': { alpha: 0.001, falseAlarmRate: 0.02 },
      eigenspace: { criticalProbability: 0.01, falseAlarmRate: 0.005 },
    };
    assert.deepEqual(detectorOptionWarnings({ options }), [
      `detectors.options.ewma.multipleComparisons ("bonferroni") has no effect without detectors.options.ewma.k: ${CALIBRATED_WINS}; remove it, or set k`,
      `detectors.options.control-chart.falseAlarmRate (0.001) has no effect: detectors.options.control-chart.k is set too and wins: ${K_WINS}; remove one of them`,
      `detectors.options.pair-ratio.multipleComparisons ("none") has no effect without detectors.options.pair-ratio.k: ${CALIBRATED_WINS}; remove it, or set k`,
      `detectors.options.three-tier.falseAlarmRate (0.02) has no effect: detectors.options.three-tier.k is set too and wins: ${K_WINS}; remove one of them`,
      "detectors.options.pca-subspace.falseAlarmRate (0.02) has no effect: detectors.options.pca-subspace.alpha is set too and wins: the paper's Q-statistic limit δ²_α is used, not one calibrated to a false-alarm rate; remove one of them",
      "detectors.options.eigenspace.falseAlarmRate (0.005) has no effect: detectors.options.eigenspace.criticalProbability is set too and wins: the paper's online-fitted law of z sets the threshold, not a calibration to a false-alarm rate; remove one of them",
    ]);
    assert.deepEqual(detectorOptionWarnings({ options: { eigenspace: { discount: 0.1 } } }), [
      "detectors.options.eigenspace.discount (0.1) has no effect without detectors.options.eigenspace.criticalProbability: the threshold calibrated to the false-alarm rate is used and wins; discount only weights the paper's law of z, which criticalProbability asks for; remove it, or set criticalProbability",
    ]);
  });

  it('are not said of settings that all take effect', () => {
    const options = {
      ewma: { k: 3, multipleComparisons: 'bonferroni' },
      'control-chart': { falseAlarmRate: 0.001 },
      'pair-ratio': { k: 3 },
      'pca-subspace': { alpha: 0.001 },
      eigenspace: { criticalProbability: 0.01, discount: 0.1 },
      cusum: { falseAlarmRate: 0.02 },
    };
    assert.deepEqual(detectorOptionWarnings({ options }), []);
  });

  it("are said by replay's detector settings, after the file they are written in", async () => {
    const tmp = makeTempDir('munnin-ignored-options-');
    try {
      const file = join(tmp.dir, 'params.mjs');
      writeFileSync(file, 'export default { detectors: { options: { ewma: { k: 3, falseAlarmRate: 0.001 } } } };\n');
      const settings = await detectorSettings(undefined, file, undefined, undefined);
      assert.deepEqual(settings.optionWarnings, [
        `${settings.origin.replace(/ \(--parameters\)$/, '')}: detectors.options.ewma.falseAlarmRate (0.001) has no effect: detectors.options.ewma.k is set too and wins: ${K_WINS}; remove one of them`,
      ]);
      assert.match(settings.optionWarnings[0]!, /params\.mjs: detectors\.options\.ewma\.falseAlarmRate/);
    } finally {
      tmp.remove();
    }
  });

  it("are said once by a sweep replay, with the variants they apply to", { timeout: 120_000 }, async () => {
    const tmp = makeTempDir('munnin-ignored-options-sweep-');
    const log = captureLog();
    try {
      const dir = join(tmp.dir, 'mysweep');
      // Base: ewma's falseAlarmRate beside its k (every variant); the axis sets control-chart's
      // multipleComparisons without a k, a warning of its own in each of the two variants.
      writeFixtureSweepFolder(dir, {
        name: 'mysweep',
        axes: [{ name: 'mc', path: 'detectors.options.control-chart.multipleComparisons', side: 'detector', values: ['none', 'bonferroni'] }],
        base: { detectors: { trainingSeconds: 100, enabled: ['ewma'], options: { ewma: { k: 3, falseAlarmRate: 0.005 } } } },
        runs: [{ name: 'r1', axisValues: {}, repeat: 1, status: 'complete' }],
      });
      await replaySweep(dir, { progress: false });
      const said = log.messages.filter((m) => m.level === 'warn' && m.message.includes('has no effect')).map((m) => m.message);
      const file = join(dir, 'sweep.json');
      assert.deepEqual(said, [
        `${file}: detectors.options.ewma.falseAlarmRate (0.005) has no effect: detectors.options.ewma.k is set too and wins: ${K_WINS}; remove one of them`,
        `${file}: detectors.options.control-chart.multipleComparisons ("none") has no effect without detectors.options.control-chart.k: ${CALIBRATED_WINS}; remove it, or set k (replay variant mc=none)`,
        `${file}: detectors.options.control-chart.multipleComparisons ("bonferroni") has no effect without detectors.options.control-chart.k: ${CALIBRATED_WINS}; remove it, or set k (replay variant mc=bonferroni)`,
      ]);
    } finally {
      log.restore();
      tmp.remove();
    }
  });
});
