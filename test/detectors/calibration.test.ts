// The false-alarm promise, tested: at the default `detectors.falseAlarmRate` (0.01) every
// calibrated detector alarms on about 1 % of benign scored intervals, whatever the traffic's
// shape and the mesh's size. Expectations come from the definition of the rate, not from the
// detectors: on runs with no attack every alarm is false, so the realised rate is alarms ÷
// scored intervals and should be near 0.01.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { DETECTOR_NAMES } from '../../src/detectors/index.ts';
import type { Snapshot } from '../../src/types.ts';
import { BENIGN_SHAPES, benignRun, type BenignShape } from './benignRuns.ts';
import { addTallies, syntheticSuite, tally, type Tally } from './calibrationSuite.ts';
import { connectionLogRun } from './connectionLogRun.ts';
import { fixtureRun, poissonDraws } from '../util.ts';

const RATE = 0.01;
/** Detectors whose threshold is calibrated to the rate; `new-edge` alarms by rule (an edge outside what it allows), see below. */
const CALIBRATED = DETECTOR_NAMES.filter((name) => name !== 'new-edge');
/**
 * Detector/shape pairs known to stay well below the rate would be kept visible here as todo
 * tests rather than tuned away. None now: midas/diurnal was one (0.0003) while MIDAS-R compared
 * each tick with the mean of all past ticks, so a ±50 % load swing set its threshold; it now
 * compares an item with its share of all traffic (README "Detectors", midas) and is checked
 * like every other pair, plus the explicit test below.
 */
const CONSERVATIVE: ReadonlySet<string> = new Set<string>();
/** The three default recordings (test/fixtures/default-benign-runs, 60 s of training), their tallies added up per detector. */
function tallyRecordings(options: Record<string, Record<string, unknown>> = {}, enabled?: readonly string[]): Map<string, Tally> {
  const total = new Map<string, Tally>();
  for (const run of ['run1', 'run2', 'run3']) addTallies(total, tallyFixture(`default-benign-runs/${run}`, 60, options, enabled));
  return total;
}

/** Every detector (or those `enabled`) over a fixture run as replay runs it (its declared metrics on every frame). */
function tallyFixture(run: string, trainingSeconds: number, options: Record<string, Record<string, unknown>> = {}, enabled?: readonly string[]): Map<string, Tally> {
  const { snapshots, metrics } = fixtureRun(run);
  return tally(snapshots, trainingSeconds, options, metrics, enabled);
}

describe('calibration: realised false-alarm rate on seeded synthetic benign runs (falseAlarmRate 0.01)', () => {
  const { byShape, total } = syntheticSuite();
  const rate = (t: Tally | undefined) => (t === undefined ? Number.NaN : t.alarms / t.scored);

  for (const name of CALIBRATED) {
    test(`${name}: over the whole suite (~17,500 benign intervals) the realised rate is within [0.005, 0.02]`, () => {
      const r = rate(total.get(name));
      assert.ok(r >= RATE / 2 && r <= 2 * RATE, `${name}: realised false-alarm rate ${r.toFixed(4)} over ${total.get(name)?.scored} intervals`);
    });
    test(`${name}: on every shape (three sizes pooled, ~2,900 intervals) at most 0.02, and not blind (≥ 0.0025)`, () => {
      // The binomial spread of 2,900 intervals at 0.01 is ±0.0018: 0.02 is five of them above.
      // Below, only a floor at a quarter of the rate: a detector slightly conservative on one
      // shape (e.g. eigenspace on lumpy telemetry) keeps its promise; one that never alarms does not.
      for (const shape of BENIGN_SHAPES) {
        const r = rate(byShape.get(shape)!.get(name));
        assert.ok(r <= 2 * RATE, `${name} on ${shape}: realised false-alarm rate ${r.toFixed(4)}`);
        if (!CONSERVATIVE.has(`${name}/${shape}`)) assert.ok(r >= RATE / 4, `${name} on ${shape}: realised false-alarm rate ${r.toFixed(4)} (blind?)`);
      }
    });
  }
  for (const key of CONSERVATIVE) {
    const [name, shape] = key.split('/') as [string, BenignShape];
    test(`${name} on ${shape}: not blind (≥ 0.0025)`, { todo: 'conservative on this shape' }, () => {
      const r = rate(byShape.get(shape)!.get(name));
      assert.ok(r >= RATE / 4, `${name} on ${shape}: realised false-alarm rate ${r.toFixed(4)}`);
    });
  }
  test('midas on diurnal: under a ±50 % load swing neither blind (≥ 0.0025) nor over the promise (≤ 0.02)', () => {
    const r = rate(byShape.get('diurnal')!.get('midas'));
    assert.ok(r >= RATE / 4 && r <= 2 * RATE, `midas on diurnal: realised false-alarm rate ${r.toFixed(4)}`);
  });

  test('the learned detector (graph-lasso, trained on ~25 intervals here) is among those held to the rate', () => {
    // A model fitted on a short training stretch is where calibration slips first: it must not
    // drop out of the checks above.
    assert.ok(CALIBRATED.includes('graph-lasso'));
  });

  test('new-edge alarms only on edges first seen after training (its rule), so on these runs at most the rate', () => {
    // Its threshold is a rule, not a quantile: it alarms exactly when an edge never seen in
    // training (and outside any policy) carries traffic. Rarely used edges make that happen on
    // benign runs; the test checks it stays within the promised rate here.
    assert.ok(rate(total.get('new-edge')) <= 2 * RATE, `new-edge: ${rate(total.get('new-edge')).toFixed(4)}`);
  });
});

/**
 * Shapes whose load leaves what the training saw (benignRuns.ts): not in the suite's table, checked
 * here with the suite's per-shape bound (three sizes pooled, at most twice the rate). Known misses,
 * measured, are todo tests with their rates (README "One knob", "Load outside what training saw").
 */
const OUTSIDE_TRAINING: readonly BenignShape[] = ['slow-diurnal', 'step'];
const OUTSIDE_TRAINING_MISSES: Readonly<Record<string, string>> = {
  'pca-subspace/slow-diurnal': 'measured 0.039 (0.067 before its refit after a lasting change: a slow drift rarely alarms 5 times in a row, so the load levels training never saw stay residual)',
  'eigenspace/slow-diurnal': 'measured 0.025 (1.25× the bound; runs written outside the project gave 0.017-0.031 on a one-cycle load)',
};

describe('calibration: load outside what training saw (one ±50 % load cycle over the run; the load doubling half-way)', () => {
  const options = { 'pair-ratio': { reference: { src: 'external', dst: 'svc-0' } } };
  for (const [s, shape] of OUTSIDE_TRAINING.entries()) {
    const pooled = new Map<string, Tally>();
    for (const [k, edges] of [14, 60, 200].entries()) addTallies(pooled, tally(benignRun({ shape, edges, intervals: 1000, seed: 901 + 10 * s + k }), 60, options));
    for (const name of CALIBRATED) {
      const todo = OUTSIDE_TRAINING_MISSES[`${name}/${shape}`];
      test(`${name} on ${shape}: at most 0.02 (three sizes pooled)`, todo === undefined ? {} : { todo }, () => {
        const t = pooled.get(name)!;
        assert.ok(t.alarms / t.scored <= 2 * RATE, `${name} on ${shape}: realised false-alarm rate ${(t.alarms / t.scored).toFixed(4)} over ${t.scored} intervals`);
      });
    }
  }
});

/**
 * Edges whose rate does not follow the load: the suite's meshes move every edge with the load
 * (`diurnal`: ±50 %), but a real mesh also carries work at a fixed rate whatever the load (a
 * cron job, a metrics scrape, a sync loop). Here two such edges, Poisson(8) requests an interval
 * from a job to svc-1 and svc-2, beside the `diurnal` mesh of the suite's three sizes. Checked
 * with the suite's per-shape bound (three sizes pooled, at most twice the rate); known misses,
 * measured, are todo tests with their rates (README "Beyond the synthetic shapes").
 */
function withFixedRateJobs(snapshots: readonly Snapshot[], seed: number): Snapshot[] {
  const poisson = poissonDraws(seed, 8);
  return snapshots.map((s) => ({
    ...s,
    edges: [
      ...s.edges,
      ...[1, 2].map((j) => {
        const n = poisson();
        return { src: `job-${j}`, dst: `svc-${j}`, values: { requests: n, request_bytes: 200 * n, response_bytes: 1500 * n } };
      }),
    ],
  }));
}

const FIXED_RATE_MISSES: Readonly<Record<string, string>> = {
  'pca-subspace': 'measured 0.0220 (0.0244 and 0.0258 with two other seed sets): the job edges stay put while the load swing moves the rest',
  midas: 'measured 0.0216 (0.0192 and 0.0179 with two other seed sets; 0.0244, 0.0210 and 0.0182 before it scored excesses only, 7 Dec): it compares an edge with its share of all traffic, and a fixed-rate edge\'s share swings with the load',
};

/**
 * The suite's per-shape check on a variant of its meshes: `variant` of the run of each of the
 * three sizes (seed k of 0-2), pooled, at most twice the rate per detector; `misses` are todo
 * tests with their measured rates.
 */
function checkPooled(variant: (edges: number, k: number) => Snapshot[], misses: Readonly<Record<string, string>>): void {
  const pooled = new Map<string, Tally>();
  const options = { 'pair-ratio': { reference: { src: 'external', dst: 'svc-0' } } };
  for (const [k, edges] of [14, 60, 200].entries()) addTallies(pooled, tally(variant(edges, k), 60, options));
  for (const name of CALIBRATED) {
    const todo = misses[name];
    test(`${name}: at most 0.02 (three sizes pooled)`, todo === undefined ? {} : { todo }, () => {
      const t = pooled.get(name)!;
      assert.ok(t.alarms / t.scored <= 2 * RATE, `${name}: realised false-alarm rate ${(t.alarms / t.scored).toFixed(4)} over ${t.scored} intervals`);
    });
  }
}

describe('calibration: two fixed-rate edges beside a mesh under a ±50 % load swing (diurnal)', () => {
  checkPooled((edges, k) => withFixedRateJobs(benignRun({ shape: 'diurnal', edges, intervals: 1000, seed: 700 + k }), 500 + k), FIXED_RATE_MISSES);
});

/**
 * Links to the outside that appear after training: a service starts calling an outside API (or
 * an outside client starts calling a service) and keeps doing so, benign. Here nine of them, one
 * every 100 intervals from interval 100 (svc-k → external, Poisson(4) requests an interval of
 * 20 kB each, from nodes spread over the mesh), in the `steady` mesh of the suite's three sizes.
 * `path` watches the routes from a data store (here, every node: the suite names none) through
 * each new link during its first intervals (README "What each detector watches", path), and its
 * one-hop path after. Checked with the suite's per-shape bound; known misses, measured, are todo
 * tests with their rates. `new-edge` alarms on each by rule (README, new-edge).
 */
function withNewOutsideLinks(snapshots: readonly Snapshot[], seed: number): Snapshot[] {
  const poisson = poissonDraws(seed, 4);
  const services = [...new Set(snapshots[0]!.edges.flatMap((e) => [e.src, e.dst]))].filter((node) => node !== 'external').sort();
  const starts = [100, 200, 300, 400, 500, 600, 700, 800, 900];
  const callers = starts.map((_, k) => services[(7 * k + 1) % services.length]!);
  return snapshots.map((s, t) => ({
    ...s,
    edges: [
      ...s.edges,
      ...starts.flatMap((start, k) => {
        if (t < start) return [];
        const n = poisson();
        return [{ src: callers[k]!, dst: 'external', values: { requests: n, request_bytes: 20_000 * n, response_bytes: 300 * n } }];
      }),
    ],
  }));
}

const NEW_LINK_MISSES: Readonly<Record<string, string>> = {
  eigenspace: 'measured 0.0333 (0.0289 and 0.0278 with seeds 820 and 840, 7 Dec): it alarms on each new link for its first 3-5 intervals, blaming it, until it is learnt',
  'pca-subspace': 'measured 0.0471 (0.0460 and 0.0481 with seeds 820 and 840, 7 Dec): it alarms on each new link for its first 5 intervals, blaming it, until it is learnt',
  midas: 'measured 0.0471 (0.0440 and 0.0454 with seeds 820 and 840, 7 Dec): it alarms on each new link for its first 5-9 intervals, blaming it, until it is learnt',
};

describe('calibration: nine new links to the outside after training (steady, three sizes)', () => {
  checkPooled((edges, k) => withNewOutsideLinks(benignRun({ shape: 'steady', edges, intervals: 1000, seed: 800 + k }), 900 + k), NEW_LINK_MISSES);
});

describe('calibration: the real benign run (Munnin 2018, increment 0, --training 100)', () => {
  const tallies = tallyFixture('munnin-cybermonday-0k', 100);
  for (const name of CALIBRATED) {
    const check = () => {
      const t = tallies.get(name)!;
      // 53 scored intervals: below 0.03 means at most one false alarm.
      assert.ok(t.alarms / t.scored < 0.03, `${name}: ${t.alarms} alarms on ${t.scored} benign intervals`);
    };
    test(`${name}: at most one false alarm on the real benign run (realised rate < 0.03)`, check);
  }
});

/**
 * Known misses of the promise on the real-shaped checks below, measured and kept visible as
 * todo tests (README "One knob", "Beyond the synthetic shapes") instead of a looser bound.
 */
const KNOWN_MISSES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'default-benign-runs': {
    'pair-ratio': 'measured 8 alarms on 135 intervals (0.059): short runs whose checkout traffic grows through the run',
    cusum: 'measured 6 alarms on 135 intervals (0.044; 8 before a TCP edge\'s own demand was its request-direction bytes, 14 before its floor of one request\'s bytes, 7 Dec): 4 on the checkout edges out of orders (orders → carts 3, orders → user 1), whose fits rest on a few orders, and 2 on front-end → user and front-end → carts',
  },
  'connection-log': {},
  'munnin-30k-before-attack': {
    'pca-subspace': 'measured 3 alarms on 21 intervals (0.14): its first limit, fitted to the training scores of a quiet start, stands at 3.7 (the benign run\'s at 15.2) and its benign scores reach 5.8-7.0 (README part a)',
  },
  'load-adjusted, Munnin': {
    'control-chart': 'measured 2 alarms on 53 intervals (0.038): orders → payment and orders → carts, checkout edges whose fit rests on a few orders',
  },
  'load-adjusted, default-benign-runs': {
    'control-chart': 'measured 5 alarms on 135 intervals (0.037; the same count before TCP edges had their own demand, 7 Dec, then on the checkout database edges and shipping → rabbitmq): 2 on catalogue → catalogue-db, 2 on the checkout edges out of orders, 1 on user → user-db',
  },
};

describe("calibration: the real attack run's benign stretch before its first attack (Munnin 2018, increment 6, --training 100)", () => {
  // Real benign traffic too: the 30 kB run up to its first exfiltration (200 s), so no attack's
  // aftermath is counted. 21 scored intervals: below 0.1 means at most one false alarm (at 0.01,
  // two or more come by chance with probability ~0.02).
  const { snapshots, metrics } = fixtureRun('munnin-cybermonday-30k');
  const attacks = readFileSync(new URL('../fixtures/munnin-cybermonday-30k/events.ndjson', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { kind: string; start: number })
    .filter((e) => e.kind === 'exfiltration');
  const firstAttack = Math.min(...attacks.map((e) => e.start));
  // An interval (t − dt, t] holds none of an attack starting at s when t ≤ s.
  const tallies = tally(snapshots.filter((s) => s.t <= firstAttack), 100, {}, metrics);
  for (const name of CALIBRATED) {
    const todo = KNOWN_MISSES['munnin-30k-before-attack']![name];
    test(`${name}: at most one false alarm before the real attack run's first attack (realised rate < 0.1)`, todo === undefined ? {} : { todo }, () => {
      const t = tallies.get(name)!;
      assert.equal(t.scored, 21, 'scored intervals before the first attack');
      assert.ok(t.alarms <= 1, `${name}: ${t.alarms} alarms on ${t.scored} benign intervals`);
    });
  }
});

describe('calibration: the real benign runs of the default experiment (test/fixtures/default-benign-runs, 60 s of training)', () => {
  // Three recordings of `npm run experiment`'s default traffic without its exfiltrations: 45
  // scored 2-s intervals each, 135 in all. At a rate of 0.01 the alarms on 135 independent
  // benign intervals are Bin(135, 0.01): 1.35 expected, 5 or more with probability 0.011, so
  // the check is at most 4 (realised rate < 0.03, the bound of the Munnin run above).
  const total = tallyRecordings();
  for (const name of DETECTOR_NAMES) {
    const todo = KNOWN_MISSES['default-benign-runs']![name];
    test(`${name}: at most 4 false alarms on the 135 benign intervals (realised rate < 0.03)`, todo === undefined ? {} : { todo }, () => {
      const t = total.get(name)!;
      assert.ok(t.alarms / t.scored < 0.03, `${name}: ${t.alarms} alarms on ${t.scored} benign intervals`);
    });
  }
});

describe('calibration: a benign connection log (1,000 hosts, per-minute connection counts, 2,000 minutes, 10 h of training)', () => {
  // The shape of a converted network log (test/detectors/connectionLogRun.ts): requests only, a
  // third of each minute's host pairs never seen before, a daily swing. Bound as for each shape
  // of the synthetic suite: at most twice the rate.
  const { snapshots } = connectionLogRun({ intervals: 2000, hosts: 1000, seed: 11 });
  const tallies = tally(snapshots, 600 * 60);
  for (const name of DETECTOR_NAMES) {
    const todo = KNOWN_MISSES['connection-log']![name];
    test(`${name}: realised rate ≤ 0.02`, todo === undefined ? {} : { todo }, () => {
      const t = tallies.get(name)!;
      assert.ok(t.alarms / t.scored <= 2 * RATE, `${name}: ${t.alarms} alarms on ${t.scored} benign intervals (${(t.alarms / t.scored).toFixed(4)})`);
    });
  }
});

describe('calibration: the volume charts watching load-adjusted volumes (series: "load-adjusted") on the synthetic suite', () => {
  // The option changes what the charts watch, not how their limit is set: the promise is the same.
  const charts = ['control-chart', 'ewma'];
  const options = Object.fromEntries(charts.map((name) => [name, { series: 'load-adjusted' }]));
  const { byShape, total } = syntheticSuite(101, { options, enabled: charts });
  for (const name of charts) {
    test(`${name}: pooled within [0.005, 0.02], every shape at most 0.02 and not blind (≥ 0.0025)`, () => {
      const pooled = total.get(name)!;
      assert.ok(pooled.alarms / pooled.scored >= RATE / 2 && pooled.alarms / pooled.scored <= 2 * RATE, `${name}: pooled ${(pooled.alarms / pooled.scored).toFixed(4)}`);
      for (const shape of BENIGN_SHAPES) {
        const t = byShape.get(shape)!.get(name)!;
        const r = t.alarms / t.scored;
        assert.ok(r <= 2 * RATE && r >= RATE / 4, `${name} on ${shape}: ${r.toFixed(4)}`);
      }
    });
  }
  // The real benign inputs, with the bounds of the checks below (Munnin's benign run: at most one
  // alarm in 53; the default recordings: at most 4 in 135).
  const munnin = tallyFixture('munnin-cybermonday-0k', 100, options, charts);
  const recordings = tallyRecordings(options, charts);
  for (const name of charts) {
    const onMunnin = KNOWN_MISSES['load-adjusted, Munnin']![name];
    test(`${name}: at most one false alarm on Munnin's benign run`, onMunnin === undefined ? {} : { todo: onMunnin }, () => {
      const t = munnin.get(name)!;
      assert.ok(t.alarms / t.scored < 0.03, `${name}: ${t.alarms} alarms on ${t.scored} benign intervals`);
    });
    const onRecordings = KNOWN_MISSES['load-adjusted, default-benign-runs']![name];
    test(`${name}: at most 4 false alarms on the default recordings' 135 benign intervals`, onRecordings === undefined ? {} : { todo: onRecordings }, () => {
      const t = recordings.get(name)!;
      assert.ok(t.alarms / t.scored < 0.03, `${name}: ${t.alarms} alarms on ${t.scored} benign intervals`);
    });
  }
});
