import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { resolveSweep } from '../../src/sweep/index.ts';

const base = resolveParameters({
  durationSeconds: 60,
  exfiltration: [
    { atSeconds: 20, bytes: 100_000, method: 'api' },
    { atSeconds: 40, bytes: 100_000, method: 'egress' },
  ],
  detectors: { trainingSeconds: 10, enabled: ['ewma', 'control-chart'] },
});

/** The UserError message resolveSweep throws for `definition`. */
function problem(definition: unknown): string {
  try {
    resolveSweep(definition, base, { origin: 'parameters.ts' });
  } catch (e) {
    assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('the sweep was accepted');
}

describe('resolveSweep', () => {
  it('classifies axes by side, labels values, and names the sweep', () => {
    const sweep = resolveSweep(
      {
        name: 'size',
        repeats: 3,
        axes: {
          bytes: { path: 'exfiltration[*].bytes', values: [20_000, 50_000] },
          shape: { path: 'traffic.shape', values: ['normal', 'bursty'] },
          k: { path: 'detectors.options.ewma.k', values: [2, 3.5] },
          enabled: { path: 'detectors.enabled', values: [['ewma'], ['ewma', 'control-chart']] },
        },
        inject: { bytesPerInterval: [10_000, 40_000], at: [{ startSeconds: 30, endSeconds: 40 }] },
      },
      base,
    );
    assert.equal(sweep.name, 'size');
    assert.equal(sweep.repeats, 3);
    assert.deepEqual(
      sweep.axes.map((a) => [a.name, a.path, a.side, a.labels]),
      [
        ['bytes', 'exfiltration[*].bytes', 'experiment', ['20000', '50000']],
        ['shape', 'traffic.shape', 'experiment', ['normal', 'bursty']],
        ['k', 'detectors.options.ewma.k', 'detector', ['2', '3.5']],
        ['enabled', 'detectors.enabled', 'detector', ['ewma', 'ewma-control-chart']],
      ],
    );
    assert.deepEqual(sweep.inject?.bytesPerInterval, [10_000, 40_000]);
    assert.equal(sweep.base, base);
  });

  it('takes the name from the option, then the sweep, then the parameters, then "sweep"', () => {
    assert.equal(resolveSweep({ name: 'a' }, base, { name: 'flag' }).name, 'flag');
    assert.equal(resolveSweep({ name: 'a' }, base).name, 'a');
    assert.equal(resolveSweep({}, { ...base, name: 'fromParams' }).name, 'fromParams');
    assert.equal(resolveSweep({}, base).name, 'sweep');
    assert.match(problem({ name: 'a/b' }), /sweep\.name: letters, digits/);
  });

  it('names the axis, the path and the field of a misspelt path', () => {
    const message = problem({ axes: { shape: { path: 'trafic.shape', values: ['normal'] } } });
    assert.match(message, /^parameters\.ts: invalid sweep:/);
    assert.match(message, /axis shape \(trafic\.shape\) = "normal": trafic: unknown field \(did you mean traffic\?\)/);
    assert.match(problem({ axes: { shape: { path: 'traffic.shap', values: ['normal'] } } }), /axis shape \(traffic\.shap\) = "normal": traffic\.shap: unknown field/);
  });

  it('names the axis, the path and the bad value of a value of the wrong type', () => {
    const message = problem({ axes: { bytes: { path: 'exfiltration[*].bytes', values: [20_000, 'big'] } } });
    assert.match(message, /axis bytes \(exfiltration\[\*\]\.bytes\) = "big": exfiltration\[0\]\.bytes: .*\(got "big"\)/);
    assert.doesNotMatch(message, /= 20000/, 'the good value is not reported');
    assert.match(problem({ axes: { shape: { path: 'traffic.shape', values: ['spiky'] } } }), /axis shape \(traffic\.shape\) = "spiky": traffic\.shape: .*\(got "spiky"\)/);
  });

  it('checks detector options with the detectors\' own validation', () => {
    assert.match(problem({ axes: { k: { path: 'detectors.options.ewma.k', values: [-1] } } }), /axis k \(detectors\.options\.ewma\.k\) = -1: detectors\.options\.ewma\.k: .*\(got -1\)/);
    assert.match(problem({ axes: { k: { path: 'detectors.options.ewma.kk', values: [2] } } }), /axis k \(detectors\.options\.ewma\.kk\) = 2: detectors\.options\.ewma\.kk: unknown option/);
    assert.match(problem({ axes: { d: { path: 'detectors.options.ewmaa.k', values: [2] } } }), /detectors\.options\.ewmaa: unknown detector "ewmaa"/);
  });

  it('applies cross-field rules to each value', () => {
    assert.match(problem({ axes: { at: { path: 'exfiltration[0].atSeconds', values: [10, 90] } } }), /axis at \(exfiltration\[0\]\.atSeconds\) = 90: exfiltration\[0\]\.atSeconds: must fall before durationSeconds/);
    assert.match(problem({ axes: { x: { path: 'exfiltration[5].bytes', values: [1] } } }), /axis x \(exfiltration\[5\]\.bytes\) = 1: exfiltration has 2 elements, no \[5\]/);
  });

  it('refuses axes on name and outputDir, bad names, repeated values and repeated paths', () => {
    assert.match(problem({ axes: { o: { path: 'outputDir', values: ['x'] } } }), /sweep\.axes\.o\.path: outputDir cannot be swept/);
    assert.match(problem({ axes: { 'a_b': { path: 'traffic.users', values: [1] } } }), /sweep\.axes\.a_b: axis names are/);
    assert.match(problem({ axes: { detector: { path: 'traffic.users', values: [1] } } }), /"detector" is a column of the comparison/);
    assert.match(problem({ axes: { u: { path: 'traffic.users', values: [1, 2, 1] } } }), /sweep\.axes\.u\.values\[2\]: repeats values\[0\]/);
    assert.match(problem({ axes: { a: { path: 'traffic.users', values: [1] }, b: { path: 'traffic.users', values: [2] } } }), /sweep\.axes\.b\.path: axis a sweeps the same path/);
    assert.match(problem({ axes: { p: { path: 'traffic..users', values: [1] } } }), /sweep\.axes\.p\.path: cannot read the path/);
  });

  it('labels values by position when their own labels would clash or be too long', () => {
    const clash = resolveSweep({ axes: { s: { path: 'traffic.locustBinary', values: ['a b', 'a-b'] } } }, base);
    assert.deepEqual(clash.axes[0]!.labels, ['v1', 'v2']);
    const schedules = resolveSweep(
      {
        axes: {
          plan: {
            path: 'exfiltration',
            values: [
              [{ atSeconds: 20, bytes: 1000, method: 'api' }],
              [{ atSeconds: 20, bytes: 1000, method: 'egress', workload: 'user' }],
            ],
          },
        },
      },
      base,
    );
    assert.deepEqual(schedules.axes[0]!.labels, ['v1', 'v2']);
  });

  it('checks the sweep\'s own shape', () => {
    assert.match(problem({ repeats: 0 }), /sweep\.repeats: .*\(got 0\)/);
    assert.match(problem({ axes: { u: { path: 'traffic.users', values: [] } } }), /sweep\.axes\.u\.values: give at least one value/);
    assert.match(problem({ axis: {} }), /sweep\.axis: unknown field/);
    assert.match(problem({ inject: { bytesPerInterval: [1000], at: [{ startSeconds: 30, endSeconds: 20 }] } }), /sweep\.inject\.at\[0\]: must end after it starts/);
    assert.match(problem([1]), /sweep: expected an object/);
  });

  it('reports every problem at once', () => {
    const message = problem({
      axes: {
        shape: { path: 'trafic.shape', values: ['normal'] },
        bytes: { path: 'exfiltration[*].bytes', values: ['big'] },
      },
    });
    assert.match(message, /trafic: unknown field/);
    assert.match(message, /got "big"/);
  });
});
