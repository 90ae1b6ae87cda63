import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { replayFolder, writeSyntheticRun } from '../../src/replay/index.ts';
import { captureLog, makeTempDir, readJson } from '../util.ts';

// Bug: comparison.csv's `scope=run` rows gave each run an `auc` and `tpr_at_rate` computed on
// score ÷ threshold (the pooled method), which differed from the `auc` and operating point of
// that run's own summary.json (raw scores), written by the same command under the same name.
// A run's own row now carries its summary.json's figures; pooled rows keep score ÷ threshold.

const tmp = makeTempDir('munnin-run-rows-');
after(() => tmp.remove());

const detectors = resolveParameters({ detectors: { trainingSeconds: 100, enabled: ['ewma', 'control-chart', 'cusum', 'new-edge'] } }).detectors;

describe('comparison.csv, a run’s own rows', () => {
  const folder = join(tmp.dir, 'runs');
  let lines: string[][] = [];

  before(async () => {
    writeSyntheticRun(join(folder, 'a'), { services: 6, edgesPerService: 3, intervals: 120, exfiltrations: 3, seed: 7 });
    writeSyntheticRun(join(folder, 'b'), { services: 6, edgesPerService: 3, intervals: 120, exfiltrations: 3, seed: 8 });
    // Different sizes, so the table by bytes is there too (its rows stay pooled).
    const file = join(folder, 'b', 'events.ndjson');
    writeFileSync(file, readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => `${JSON.stringify({ ...JSON.parse(l), bytes: 123_456 })}\n`).join(''));
    const log = captureLog();
    await replayFolder(folder, { detectors, progress: false }).finally(() => log.restore());
    lines = readFileSync(join(folder, 'comparison.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
  });

  it('give the auc, threshold, TPR and achieved FPR at the rate of the run’s summary.json', () => {
    const header = lines[0]!;
    const col = (row: string[], name: string) => row[header.indexOf(name)]!;
    const num = (cell: string) => (cell === '' ? null : Number(cell));
    let differ = 0;
    for (const run of ['a', 'b']) {
      const summary = readJson(folder, run, 'replay', 'summary.json');
      for (const d of detectors.enabled) {
        const row = lines.find((r) => r[0] === 'run' && r[2] === run && r[3] === d);
        assert.ok(row, `${run} ${d}: a run row`);
        const s = summary.detectors[d];
        const point = s.operatingPoints.find((p: { fpr: number }) => p.fpr === detectors.falseAlarmRate);
        assert.deepEqual(
          [num(col(row, 'auc')), num(col(row, 'rate')), num(col(row, 'threshold_at_rate')), num(col(row, 'tpr_at_rate')), num(col(row, 'achieved_fpr'))],
          [s.auc, point.fpr, point.threshold, point.tpr, point.achievedFpr],
          `${run} ${d}`,
        );
        assert.deepEqual([num(col(row, 'false_alarms')), num(col(row, 'caught'))], [s.fp, s.events.detected], `${run} ${d}: counts as before`);
        const pooledAuc = num(lines.find((r) => r[0] === 'pooled' && r[3] === d)![header.indexOf('auc')]!);
        if (pooledAuc !== s.auc) differ += 1;
      }
    }
    // The pooled rows are still on score ÷ threshold: not the runs' raw figures.
    assert.ok(differ > 0, 'pooled AUC equal to every run’s own: the check would not tell the two scales apart');
  });
});
