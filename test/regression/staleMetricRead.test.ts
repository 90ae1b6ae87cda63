// Regression (issue 14's hardening, found 7 Dec, sixth session): Munnin's recorder read sent and
// received bytes with two queries, one after the other, and differenced each against its last
// read; a scrape landing between the two leaves one matrix unchanged, so that slice reads 0 in
// one metric on every edge and the next holds two slices' worth. Munnin's converter wrote a gap
// only when both matrices read 0 (../shared/data's README), so such a slice reached the detectors
// as zeros: learnt as a slice of no traffic, then a slice of twice the traffic. On Munnin's benign
// run (--training 100, default settings), one such read at slice 29, 41, 53 or 65 gave
// control-chart 1-2 false alarms, ewma 1, cusum 1, path 1-3 and graph-lasso 1 (the run itself:
// 0 for each); on the attack run, received bytes read stale at slice 40 gave path 2 false alarms,
// at 62 cost it an attack (4 of 5). replay now turns such a slice into a gap and carries all of
// its traffic into the next slice (src/replay/staleMetricReads.ts), as after a stale read of both:
// no detector alarms more than on the run itself, and path catches 5 of 5 without a false alarm.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay, writeInjectedRun } from '../../src/replay/index.ts';
import { captureLog, makeTempDir } from '../util.ts';
import { sliceTime } from './staleReads.ts';

const tmp = makeTempDir('munnin-stale-metric-');
after(() => tmp.remove());

const fixture = (name: string): string => new URL(`../fixtures/${name}/`, import.meta.url).pathname;

/** A copy of `run` with `metric` read stale at slice k (0 on every edge there, its traffic in slice k + 1). */
async function withStaleMetric(run: string, k: number, metric: string): Promise<string> {
  const dir = join(tmp.dir, `${run}-${metric}-${k}`);
  await writeInjectedRun(fixture(run), dir, { inject: [], staleReads: [{ slice: k, metrics: [metric] }] });
  return dir;
}

test("one metric read stale on Munnin's benign run: read as a gap by the detectors, counted as the interval the file holds, and no detector alarms more than on the run itself", async () => {
  const detectors = resolveParameters({ detectors: { trainingSeconds: 100 } }).detectors;
  const own = await runReplay(fixture('munnin-cybermonday-0k'), { outDir: join(tmp.dir, 'out-own'), detectors });
  for (const [k, metric] of [[41, 'tcp_received_bytes'], [53, 'tcp_sent_bytes']] as const) {
    const run = await withStaleMetric('munnin-cybermonday-0k', k, metric);
    const log = captureLog();
    const { summary } = await runReplay(run, { outDir: join(tmp.dir, `out-${metric}-${k}`), detectors });
    log.restore();
    assert.match(log.text('warn'), new RegExp(`^1 slice\\(s\\) read one metric as 0 on every edge while its companion read traffic on 3 or more \\(${metric}\\): stale reads`, 'm'));
    // The detectors read the stale slice as a gap: scored NaN, no alarm; path judges the slice after it.
    const scores = readFileSync(join(tmp.dir, `out-${metric}-${k}`, 'scores.csv'), 'utf8');
    assert.match(scores, new RegExp(`^${sliceTime(run, k)},path,NaN,[0-9.]+,false$`, 'm'));
    assert.match(scores, new RegExp(`^${sliceTime(run, k + 1)},path,[0-9.]+,`, 'm'));
    // Not a gap in the file: counted as run-format.md counts it, a scored interval.
    assert.equal(summary.gapIntervals, 0);
    assert.equal(summary.detectors['path']!.tn, own.summary.detectors['path']!.tn);
    for (const [name, d] of Object.entries(summary.detectors)) {
      assert.ok(d.fp <= own.summary.detectors[name]!.fp, `${name}, ${metric} stale at slice ${k}: ${d.fp} false alarms (the run itself: ${own.summary.detectors[name]!.fp})`);
    }
  }
});

test("received bytes read stale on or before an attack slice of Munnin's attack run: path still catches all five attacks, without a false alarm", async () => {
  const detectors = resolveParameters({ detectors: { enabled: ['path'], trainingSeconds: 100 } }).detectors;
  for (const k of [40, 62]) {
    const run = await withStaleMetric('munnin-cybermonday-30k', k, 'tcp_received_bytes');
    const log = captureLog();
    const { summary } = await runReplay(run, { outDir: join(tmp.dir, `out-attack-${k}`), detectors });
    log.restore();
    const path = summary.detectors['path']!;
    assert.equal(path.events?.detected, 5, `stale at slice ${k}: ${path.events?.detected} of 5 attacks caught`);
    assert.equal(path.fp, 0, `stale at slice ${k}: ${path.fp} false alarms`);
  }
});
