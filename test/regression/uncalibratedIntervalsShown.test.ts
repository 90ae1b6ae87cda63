import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { buildReportModel } from '../../src/report/buildReportModel.ts';
import { loadReportInputs } from '../../src/report/loadReportInputs.ts';
import { NO_THRESHOLD_BAND, type Band } from '../../src/report/charts/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

// Bug: on Munnin's real 30 kB run (`--training 100`) `path` scores its first six judged slices
// before its limit has the 20 scores it needs (threshold NaN, README "One knob"). The score
// chart drew nothing there, without a word (the line just began at 130 s), and the caption
// counted those slices among the ones "with a threshold ≤ 0 … drawn at the top or the bottom",
// which they were not. They are now shaded as "scored, no threshold yet" and captioned as such.
const tmp = makeTempDir('munnin-uncalibrated-');
after(() => tmp.remove());

it("shades and captions the intervals a detector scored before it had a threshold (Munnin's 30 kB run, path)", async () => {
  const runDir = fileURLToPath(new URL('../fixtures/munnin-cybermonday-30k', import.meta.url));
  const outDir = join(tmp.dir, 'out');
  const detectors = resolveParameters({ detectors: { trainingSeconds: 100, enabled: ['path'] } }).detectors;
  const log = captureLog();
  await runReplay(runDir, { outDir, detectors });
  log.restore();
  // What to expect, read from scores.csv directly: the judged slices whose threshold is NaN.
  const uncalibrated = readFileSync(join(outDir, 'scores.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .filter((f) => f[1] === 'path' && f[3] === 'NaN')
    .map((f) => Number(f[0]));
  assert.equal(uncalibrated.length, 6, 'six slices before the limit has 20 scores (training gave 14)');
  const model = buildReportModel(await loadReportInputs(runDir, outDir), {});
  const chart = model.charts.find((c) => c.section === 'scores' && c.title === 'path')!;
  assert.match(chart.caption, / 6 intervals were scored before a threshold existed/);
  assert.doesNotMatch(chart.caption, /threshold ≤ 0/);
  if (chart.draw.kind !== 'chart') assert.fail('a chart.js chart');
  const bands = (chart.draw.config.options!.plugins as { munninIntervalBands: { bands: Band[] } }).munninIntervalBands.bands;
  const grey = bands.filter((b) => b.color === NO_THRESHOLD_BAND);
  // One stretch: from the start of the first such slice (5 s before its end) to the end of the last, in seconds since the run's start.
  const first = JSON.parse(readFileSync(join(runDir, 'snapshots.ndjson'), 'utf8').split('\n')[0]!) as { t: number; dt: number };
  const t0 = first.t - first.dt;
  assert.equal(grey.length, 1);
  assert.ok(Math.abs(grey[0]!.from - (uncalibrated[0]! - 5 - t0)) < 1e-6, `band starts at ${grey[0]!.from}`);
  assert.ok(Math.abs(grey[0]!.to - (uncalibrated[5]! - t0)) < 1e-6, `band ends at ${grey[0]!.to}`);
  const legend = (chart.draw.config.data.datasets as { label?: string }[]).map((d) => d.label);
  assert.ok(legend.includes('scored, no threshold yet (no alarm possible)'));
});
