// graph-lasso as a detector: on seeded Sock Shop-shaped runs with exfiltrations injected by the
// replay's own injector it separates attack intervals from clean ones and blames the attacked
// path; a run with no data store and no outside (a connection log of hosts) still gets a model.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphLasso, type GraphLassoModel } from '../../../src/detectors/graph-lasso/index.ts';
import { MIN_CALIBRATION_SCORES } from '../../../src/detectors/stats/index.ts';
import type { Snapshot, Verdict } from '../../../src/types.ts';
import { judgeSnapshots, seededRandom } from '../../util.ts';
import { ATTACK_WINDOWS, injectedAttack } from '../injectedAttack.ts';

/** The attack's hops, without direction (as the run format counts blame on path). */
const ON_PATH = new Set([['user-db', 'user'], ['user', 'front-end'], ['front-end', 'external']].map((pair) => pair.sort().join('|')));
const onPath = (src: string, dst: string) => ON_PATH.has([src, dst].sort().join('|'));

/** ROC area by counting pairs: P(attack score > clean score) + ½ P(tie). */
function auc(positives: readonly number[], negatives: readonly number[]): number {
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

test('separates injected from clean intervals on a seeded Sock Shop-shaped run (12 kB per 2 s along user-db → user → front-end → external)', () => {
  const models: GraphLassoModel[] = [];
  const { verdicts, attackVerdicts } = injectedAttack(graphLasso({}, {}, (m) => models.push(m)), 12_000, 21);
  const attack = new Set(attackVerdicts);
  const clean = verdicts.filter((v) => !v.training && !v.gap && !attack.has(v));
  assert.equal(models.length, 1, 'fitted once, when training ended');
  // The user → user-db edge carries ~12 ± 2 kB: 12 kB more is ~6σ on its quietest hop.
  const area = auc(
    attackVerdicts.map((v) => v.score),
    clean.map((v) => v.score),
  );
  assert.ok(area > 0.9, `AUC ${area.toFixed(3)}`);
  const caught = ATTACK_WINDOWS.filter((_, w) => attackVerdicts.slice(5 * w, 5 * w + 5).some((v) => v.alarm)).length;
  assert.equal(caught, ATTACK_WINDOWS.length, 'every exfiltration alarmed at least once');
  const fpr = clean.filter((v) => v.alarm).length / clean.length;
  assert.ok(fpr <= 0.02, `false-alarm rate ${fpr.toFixed(4)} on ${clean.length} clean intervals`);
});

test('an API scrape (one 300-B request per 400 B pulled, 6 kB an interval): the volume residuals miss it, the request mix on the front door shows it', () => {
  // As path's test of the same scrape: its requests raise the front door's demand, which explains
  // the bytes it adds to the inner hops; the requests given the responses are the evidence left.
  let volumeOnly = 0;
  let withMix = 0;
  let attacks = 0;
  for (const seed of [21, 22, 23]) {
    volumeOnly += injectedAttack(graphLasso({ requestMix: false }), 6_000, seed, { bytesPerRequest: 400 }).attackVerdicts.filter((v) => v.alarm).length;
    const mixed = injectedAttack(graphLasso(), 6_000, seed, { bytesPerRequest: 400 });
    withMix += mixed.attackVerdicts.filter((v) => v.alarm).length;
    attacks += mixed.attackVerdicts.length;
  }
  assert.ok(volumeOnly <= 0.1 * attacks, `volume residuals alone: ${volumeOnly}/${attacks}`);
  assert.ok(withMix >= 0.8 * attacks, `with the request mix: ${withMix}/${attacks}`);
});

test('blames the attacked path: every alarm in an attack interval names an edge of user-db → user → front-end → external first', () => {
  const { attackVerdicts } = injectedAttack(graphLasso(), 24_000, 22);
  const alarms = attackVerdicts.filter((v) => v.alarm);
  assert.ok(alarms.length >= 10, `${alarms.length} alarms in ${attackVerdicts.length} attack intervals`);
  for (const v of alarms) {
    assert.ok(v.blamed.length > 0 && v.blamed.length <= 5);
    assert.ok(onPath(v.blamed[0]!.src, v.blamed[0]!.dst), `first blamed ${v.blamed[0]!.src} → ${v.blamed[0]!.dst} at t=${v.t}`);
  }
});

test('the model: trained with copies injected along the candidate paths, non-zero coefficients named by feature, among them a feature of the attacked route', () => {
  const models: GraphLassoModel[] = [];
  injectedAttack(graphLasso({}, {}, (m) => models.push(m)), 12_000, 23);
  const m = models[0]!;
  assert.ok(m.routes.some((r) => r.join(' ') === 'user-db user front-end external'), JSON.stringify(m.routes));
  assert.ok(m.injectedRows > 0 && m.trainingIntervals >= 10, `${m.trainingIntervals} clean, ${m.injectedRows} injected`);
  assert.ok(m.coefficients.length > 0 && m.coefficients.length < m.features, `${m.coefficients.length} non-zero of ${m.features}`);
  assert.ok(m.coefficients.every((c) => c.coefficient !== 0 && typeof c.feature === 'string'));
  for (let i = 1; i < m.coefficients.length; i++) assert.ok(Math.abs(m.coefficients[i - 1]!.coefficient) >= Math.abs(m.coefficients[i]!.coefficient));
  assert.ok(
    m.coefficients.some((c) => c.coefficient > 0 && /path|user|front-end/.test(c.feature)),
    m.coefficients.map((c) => `${c.coefficient.toFixed(3)} ${c.feature}`).join('; '),
  );
});

/** A connection log's shape: hosts only (no data store, no `external`), `tcp_connections` and bytes. */
function hostLog(intervals: number, seed: number, surge?: { at: number; src: string; dst: string }): Snapshot[] {
  const random = seededRandom(seed);
  const pairs: [string, string][] = [];
  for (let h = 0; h < 12; h++) pairs.push([`10.0.0.${h}`, `10.0.0.${(h + 1) % 12}`], [`10.0.0.${h}`, `10.0.0.${(h + 5) % 12}`]);
  const out: Snapshot[] = [];
  for (let i = 0; i < intervals; i++) {
    const edges = pairs.map(([src, dst], k) => {
      const bytes = 1000 * (1 + (k % 4)) * (0.8 + 0.4 * random());
      const extra = surge !== undefined && i >= surge.at && i < surge.at + 3 && src === surge.src && dst === surge.dst ? 20_000 : 0;
      return { src, dst, values: { tcp_sent_bytes: bytes + extra, tcp_connections: 2 + Math.floor(3 * random()) } };
    });
    out.push({ t: 60 * (i + 1), dt: 60, gap: false, edges });
  }
  return out;
}

test('a run without data stores or an outside node (host-to-host connections): the busiest edges stand in as routes, scores stay finite', () => {
  const models: GraphLassoModel[] = [];
  // 60-s intervals, 1,200 s of training: 20 intervals, 15 of them scored by the load fits.
  const verdicts = judgeSnapshots(hostLog(120, 5, { at: 90, src: '10.0.0.3', dst: '10.0.0.4' }), graphLasso({ addressesAreOutside: false }, { trainingSeconds: 1200 }, (m) => models.push(m)));
  assert.equal(models.length, 1);
  assert.ok(models[0]!.routes.length > 0 && models[0]!.routes.every((r) => r.length === 2), JSON.stringify(models[0]!.routes));
  const scored = verdicts.filter((v) => !v.training);
  assert.ok(scored.every((v) => Number.isFinite(v.score)));
  const surge = scored.filter((v) => v.t > 60 * 90 && v.t <= 60 * 93);
  assert.ok(surge.some((v) => v.alarm), `surge scores ${surge.map((v) => v.score.toFixed(2))} vs thresholds ${surge.map((v) => v.threshold.toFixed(2))}`);
  assert.ok(surge.filter((v) => v.alarm).every((v) => v.blamed[0]!.src === '10.0.0.3' && v.blamed[0]!.dst === '10.0.0.4'));
});

test('a training stretch too short to fit: un-alarmed intervals after it are collected until there are enough, with no alarm before', () => {
  const models: GraphLassoModel[] = [];
  // 10 s of training at 2 s: 5 intervals, none scored by the load fits yet (they need 5 observations).
  const { verdicts } = injectedAttack(graphLasso({}, { trainingSeconds: 10 }, (m) => models.push(m)), 12_000, 24);
  assert.equal(models.length, 1);
  assert.equal(models[0]!.trainingIntervals, 10);
  // The fit took the 5 training intervals and the first 5 judged ones: those score 0.
  const training = verdicts.filter((v: Verdict) => v.training).length;
  const judged = verdicts.filter((v: Verdict) => !v.training);
  const beforeFit = judged.slice(0, models[0]!.trainingIntervals - training);
  assert.equal(beforeFit.length, 5);
  assert.ok(beforeFit.every((v) => !v.alarm && v.score === 0 && Number.isNaN(v.threshold)));
  // The fit's 10 intervals give the limit 5 scores (their first 5 are the load fits' warm-up,
  // unscored), so it has MIN_CALIBRATION_SCORES after MIN_CALIBRATION_SCORES − 5 more judged
  // intervals past the 5 collected: the first threshold is that of judged interval MIN_CALIBRATION_SCORES.
  assert.equal(judged.findIndex((v) => Number.isFinite(v.threshold)), MIN_CALIBRATION_SCORES);
});
