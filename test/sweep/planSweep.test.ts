import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { combinations, injectionsOf, planSweep, planVariants, resolveSweep, variantDetectors } from '../../src/sweep/index.ts';

const base = resolveParameters({
  outputDir: '/tmp/x',
  name: 'ignored-run-name',
  durationSeconds: 60,
  traffic: { seed: 10 },
  exfiltration: [
    { atSeconds: 20, bytes: 100_000, method: 'api' },
    { atSeconds: 40, bytes: 100_000, method: 'egress' },
  ],
  detectors: { trainingSeconds: 10, enabled: ['ewma', 'control-chart'] },
});

describe('planSweep', () => {
  it('enumerates the cartesian product, first axis slowest', () => {
    assert.deepEqual(combinations([2, 3]), [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
    assert.deepEqual(combinations([]), [[]]);
  });

  it('plans one run per experiment-side combination and repeat, repeat by repeat', () => {
    const sweep = resolveSweep(
      {
        name: 's',
        repeats: 2,
        axes: {
          bytes: { path: 'exfiltration[*].bytes', values: [20_000, 50_000] },
          shape: { path: 'traffic.shape', values: ['normal', 'bursty'] },
          k: { path: 'detectors.options.ewma.k', values: [2, 3] },
        },
      },
      base,
    );
    const plan = planSweep(sweep);
    assert.equal(plan.dir, join('/tmp/x', 's'));
    assert.deepEqual(
      plan.runs.map((r) => r.name),
      [
        'bytes=20000_shape=normal_r1',
        'bytes=20000_shape=bursty_r1',
        'bytes=50000_shape=normal_r1',
        'bytes=50000_shape=bursty_r1',
        'bytes=20000_shape=normal_r2',
        'bytes=20000_shape=bursty_r2',
        'bytes=50000_shape=normal_r2',
        'bytes=50000_shape=bursty_r2',
      ],
    );
    const run = plan.runs[3]!;
    assert.deepEqual(run.axisValues, { bytes: 50_000, shape: 'bursty' });
    assert.equal(run.repeat, 1);
    assert.deepEqual(run.parameters.exfiltration.map((x) => x.bytes), [50_000, 50_000]);
    assert.equal(run.parameters.traffic.shape, 'bursty');
    assert.equal(run.parameters.outputDir, plan.dir);
    assert.equal(run.parameters.name, undefined);
    // Detector-side values are not applied to recorded runs: they are swept when replaying.
    assert.deepEqual(run.parameters.detectors.options, {});
    // Repeats are independent samples: successive seeds.
    assert.deepEqual(plan.runs.map((r) => r.parameters.traffic.seed), [10, 10, 10, 10, 11, 11, 11, 11]);
    // The base is left alone.
    assert.deepEqual(base.exfiltration.map((x) => x.bytes), [100_000, 100_000]);
  });

  it('names runs r1, r2 without experiment-side axes, and keeps a swept seed', () => {
    assert.deepEqual(planSweep(resolveSweep({ repeats: 2 }, base)).runs.map((r) => r.name), ['r1', 'r2']);
    const seeded = planSweep(resolveSweep({ repeats: 2, axes: { seed: { path: 'traffic.seed', values: [5] } } }, base));
    assert.deepEqual(seeded.runs.map((r) => r.parameters.traffic.seed), [5, 5]);
  });

  it('validates every combination as a whole', () => {
    const sweep = resolveSweep(
      {
        axes: {
          duration: { path: 'durationSeconds', values: [50, 60] },
          at: { path: 'exfiltration[1].atSeconds', values: [25, 55] },
        },
      },
      base,
    );
    assert.throws(
      () => planSweep(sweep),
      (e: unknown) => e instanceof UserError && /run duration=50_at=55_r1: invalid parameters:\n\s+exfiltration\[1\]\.atSeconds: must fall before durationSeconds \(50\)/.test(e.message) && !/duration=60|at=25/.test(e.message),
    );
  });
});

describe('planVariants', () => {
  const sweep = resolveSweep(
    {
      axes: {
        bytes: { path: 'exfiltration[*].bytes', values: [20_000] },
        k: { path: 'detectors.options.ewma.k', values: [2, 3] },
        lambda: { path: 'detectors.options.ewma.lambda', values: [0.1] },
      },
      inject: { bytesPerInterval: [5000, 20_000], at: [{ startSeconds: 30, endSeconds: 40 }] },
    },
    base,
  );

  it('crosses detector-side values with injected rates', () => {
    const variants = planVariants(sweep.axes, injectionsOf(sweep.inject));
    assert.deepEqual(
      variants.map((v) => v.name),
      ['k=2_lambda=0.1_inject=5000', 'k=2_lambda=0.1_inject=20000', 'k=3_lambda=0.1_inject=5000', 'k=3_lambda=0.1_inject=20000'],
    );
    assert.deepEqual(variants[3]!.axisValues, { k: 3, lambda: 0.1 });
    assert.deepEqual(variants[3]!.inject, { bytesPerInterval: 20_000, at: [{ startSeconds: 30, endSeconds: 40 }] });
  });

  it('is one plain replay (named "") without detector axes or injection', () => {
    assert.deepEqual(planVariants([], []), [{ name: '', axisValues: {} }]);
  });

  it('refuses the same rate twice', () => {
    assert.throws(() => planVariants([], [{ bytesPerInterval: 5, at: [{ startSeconds: 0, endSeconds: 1 }] }, { bytesPerInterval: 5, at: [{ startSeconds: 2, endSeconds: 3 }] }]), /5 bytes per interval is given twice/);
  });

  it('gives each variant its detector settings, checked', () => {
    const variants = planVariants(sweep.axes, []);
    const settings = variantDetectors(base.detectors, sweep.axes, variants);
    assert.deepEqual(settings.map((d) => d.options), [{ ewma: { k: 2, lambda: 0.1 } }, { ewma: { k: 3, lambda: 0.1 } }]);
    assert.deepEqual(base.detectors.options, {});
    const bad = resolveSweep({ axes: { k: { path: 'detectors.options.ewma.k', values: [2] } } }, base);
    const badAxes = [{ ...bad.axes[0]!, values: [-2], labels: ['-2'] }];
    assert.throws(() => variantDetectors(base.detectors, badAxes, planVariants(badAxes, [])), /replay k=-2: invalid detector parameters:\n\s+detectors\.options\.ewma\.k: .*\(got -2\)/);
  });
});
