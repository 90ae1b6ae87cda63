// The report's graph-lasso section after a real replay with `--inject`: the model's non-zero
// coefficients (the replay's own model, refitted from the run) and the per-path confusion matrix,
// whose counts are worked out here from scores.csv and the injection windows.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveParameters } from '../../src/config/index.ts';
import { graphLasso, vectorize, type GraphLassoModel } from '../../src/detectors/index.ts';
import { from } from 'rxjs';
import { injectExfiltration, runReplay } from '../../src/replay/index.ts';
import type { RunEvent } from '../../src/types.ts';
import { buildReportModel } from '../../src/report/buildReportModel.ts';
import { graphLassoSection, refitGraphLasso } from '../../src/report/graphLassoSection.ts';
import { loadReportInputs } from '../../src/report/loadReportInputs.ts';
import { snapshotToLine } from '../../src/store/snapshotCodec.ts';
import { captureLog, judgeSnapshots, makeTempDir, writeRunFiles } from '../util.ts';
import { sockShopRun } from '../detectors/sockShopRun.ts';

const tmp = makeTempDir('munnin-graph-lasso-report-');
after(() => tmp.remove());

test('report: graph-lasso section with the replay model’s coefficients and a confusion matrix per injected path', async () => {
  const snapshots = sockShopRun({ intervals: 200, seed: 41 });
  const runDir = join(tmp.dir, 'run');
  writeRunFiles(runDir, {
    manifest: { format: 'munnin-run/1', name: 'sock-shop-like', intervalSeconds: 2, metrics: ['requests', 'request_bytes', 'response_bytes'] },
    snapshots: snapshots.map((s) => `${snapshotToLine(s)}\n`).join(''),
    events: '',
  });
  // The model the detector fits on this run (training is before any injection), for comparison.
  const direct: GraphLassoModel[] = [];
  judgeSnapshots(snapshots, graphLasso({}, { trainingSeconds: 60 }, (m) => direct.push(m)));
  const detectors = resolveParameters({ detectors: { trainingSeconds: 60, enabled: ['graph-lasso'] } }).detectors;
  const outDir = join(tmp.dir, 'replay');
  const windows = [
    { startSeconds: 150, endSeconds: 160 },
    { startSeconds: 250, endSeconds: 260 },
    { startSeconds: 350, endSeconds: 360 },
  ];
  const log = captureLog();
  await runReplay(runDir, { outDir, detectors, inject: [{ bytesPerInterval: 20_000, at: windows }] });
  log.restore();
  // The injected attacks as ground truth beside the results, where the report reads them: the
  // injector's own events as settled, as the replay's evaluator holds them at the end.
  const injected: RunEvent[] = [];
  from(snapshots)
    .pipe(injectExfiltration({ bytesPerInterval: 20_000, intervalSeconds: 2, at: windows, runMetrics: ['requests', 'request_bytes', 'response_bytes'], onSettled: (ws) => injected.push(...ws.flatMap((w) => (w.injected ? [w.injected] : []))) }))
    .subscribe();
  assert.deepEqual(
    readFileSync(join(outDir, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown),
    JSON.parse(JSON.stringify(injected)),
  );
  const inputs = await loadReportInputs(runDir, outDir);
  const model = buildReportModel(inputs, { parameters: { detectors } });

  const refitted = refitGraphLasso(model)!;
  assert.deepEqual(refitted, direct[0], 'the section shows the model the replay fitted');
  const page = graphLassoSection(model).value;
  for (const c of refitted.coefficients) assert.ok(page.includes(c.coefficient.toFixed(4)), `coefficient of ${c.feature}`);

  // The confusion matrix, by hand: attack intervals are those ending in (start, end + 2) after the
  // run start (t − dt < end and t > start); the first interval after each window is a grace interval.
  const start = snapshots[0]!.t - snapshots[0]!.dt;
  const rows = readFileSync(join(outDir, 'scores.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  for (const [t, , , , alarm] of rows) {
    const offset = Number(t) - start;
    const inAttack = windows.some((w) => offset > w.startSeconds && offset - 2 < w.endSeconds);
    const grace = windows.some((w) => offset - 2 >= w.endSeconds && offset - 2 < w.endSeconds + 2);
    if (grace) continue;
    if (inAttack) alarm === 'true' ? tp++ : fn++;
    else alarm === 'true' ? fp++ : tn++;
  }
  assert.equal(tp + fn, 15);
  assert.ok(tp >= 10, `${tp} of 15 attack intervals alarmed`);
  const cells = (label: string) => {
    const row = page.split('<tr>').find((r) => r.startsWith(`<td style="text-align:left">${label}</td>`))!;
    return [...row.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
  };
  assert.deepEqual(cells('user-db → user → front-end → external (injected)'), ['3', String(tp), String(fn), `${((100 * tp) / (tp + fn)).toFixed(1)} %`, '–', '–']);
  assert.deepEqual(cells('benign intervals'), ['–', '–', '–', '–', String(fp), String(tn)]);
});

test('report: graph-lasso refits on the run\'s byte metrics even when its first interval carries only counts (regression)', async () => {
  // Bug: the refit vectorized without the run's metrics, so a first interval with requests only
  // made its volumes fall back to counts for the whole refit: another model than the replay's.
  const snapshots = sockShopRun({ intervals: 120, seed: 43 });
  const first = snapshots[0]!;
  const countsOnly = { ...first, edges: first.edges.map((e) => ({ ...e, values: { requests: e.values['requests'] ?? 1 } })) };
  const run = [countsOnly, ...snapshots.slice(1)];
  const metrics = ['requests', 'request_bytes', 'response_bytes'] as const;
  const runDir = join(tmp.dir, 'counts-first');
  writeRunFiles(runDir, {
    manifest: { format: 'munnin-run/1', name: 'counts-first', intervalSeconds: 2, metrics },
    snapshots: run.map((s) => `${snapshotToLine(s)}\n`).join(''),
    events: '',
  });
  const detectors = resolveParameters({ detectors: { trainingSeconds: 60, enabled: ['graph-lasso'] } }).detectors;
  const outDir = join(tmp.dir, 'counts-first-replay');
  const log = captureLog();
  await runReplay(runDir, { outDir, detectors });
  // The model on the frames replay builds (the run's metrics declared from the first frame).
  const replayed: GraphLassoModel[] = [];
  from(run).pipe(vectorize({ metrics }), graphLasso({}, { trainingSeconds: 60 }, (m) => replayed.push(m))).subscribe();
  const model = buildReportModel(await loadReportInputs(runDir, outDir), { parameters: { detectors } });
  const refitted = refitGraphLasso(model);
  log.restore();
  assert.deepEqual(refitted, replayed[0]);
  assert.ok(!log.text().includes('watch requests instead'), log.text());
});
