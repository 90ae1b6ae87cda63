import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ParametersInput } from '../../src/config/index.ts';
import { axis, defineSweep, formatSegments, parsePath, setAtPath, type ParameterPath, type PathValue } from '../../src/sweep/index.ts';

describe('parameter paths at run time', () => {
  it('parses keys, indices and [*], and writes them back the same', () => {
    assert.deepEqual(parsePath('exfiltration[*].bytes'), [{ kind: 'key', key: 'exfiltration' }, { kind: 'every' }, { kind: 'key', key: 'bytes' }]);
    assert.deepEqual(parsePath('exfiltration[1].atSeconds'), [{ kind: 'key', key: 'exfiltration' }, { kind: 'index', index: 1 }, { kind: 'key', key: 'atSeconds' }]);
    assert.deepEqual(parsePath('detectors.options.control-chart.k'), ['detectors', 'options', 'control-chart', 'k'].map((key) => ({ kind: 'key', key })));
    assert.deepEqual(parsePath('traffic.thinkTimeSeconds[0]'), [{ kind: 'key', key: 'traffic' }, { kind: 'key', key: 'thinkTimeSeconds' }, { kind: 'index', index: 0 }]);
    for (const text of ['exfiltration[*].bytes', 'traffic.shape', 'a[0][1].b', 'detectors.options.ewma.k']) assert.equal(formatSegments(parsePath(text)), text);
  });

  it('rejects paths it cannot read, saying where', () => {
    assert.throws(() => parsePath(''), /expected a path/);
    assert.throws(() => parsePath('traffic..shape'), /character 8/);
    assert.throws(() => parsePath('exfiltration[x].bytes'), /character 13.*\[0\] or \[\*\]/);
    assert.throws(() => parsePath('.traffic'), /character 1/);
    assert.throws(() => parsePath('[0].bytes'), /starts with a field name/);
    assert.throws(() => parsePath('traffic.shape.'), /character 14/);
  });

  it('sets a value at every element with [*], at one with [n], and creates missing objects', () => {
    const root = { exfiltration: [{ bytes: 1 }, { bytes: 2 }], traffic: {} } as Record<string, unknown>;
    setAtPath(root, parsePath('exfiltration[*].bytes'), 7);
    assert.deepEqual(root['exfiltration'], [{ bytes: 7 }, { bytes: 7 }]);
    setAtPath(root, parsePath('exfiltration[1].bytes'), 9);
    assert.deepEqual(root['exfiltration'], [{ bytes: 7 }, { bytes: 9 }]);
    setAtPath(root, parsePath('detectors.options.ewma.k'), 2);
    assert.deepEqual(root['detectors'], { options: { ewma: { k: 2 } } });
  });

  it('clones object values so runs never share them', () => {
    const value = { browse: 1, buy: 2, register: 3 };
    const root = { traffic: {} } as Record<string, { mix?: unknown }>;
    setAtPath(root, parsePath('traffic.mix'), value);
    assert.deepEqual(root['traffic']!.mix, value);
    assert.notEqual(root['traffic']!.mix, value);
  });

  it('refuses paths that do not fit the parameters, with what is there', () => {
    const root = () => ({ exfiltration: [{ bytes: 1 }], durationSeconds: 5 }) as Record<string, unknown>;
    assert.throws(() => setAtPath(root(), parsePath('exfiltration[3].bytes'), 1), /exfiltration has 1 element, no \[3\]/);
    assert.throws(() => setAtPath({ exfiltration: [] }, parsePath('exfiltration[*].bytes'), 1), /exfiltration is empty, so \[\*\] matches nothing/);
    assert.throws(() => setAtPath(root(), parsePath('durationSeconds.x'), 1), /durationSeconds is not an object/);
    assert.throws(() => setAtPath(root(), parsePath('durationSeconds[0]'), 1), /durationSeconds is not a list/);
    assert.throws(() => setAtPath({}, parsePath('exfiltration[0].bytes'), 1), /exfiltration is not set/);
  });
});

// Compile-time checks: `npm run typecheck` fails if a line marked @ts-expect-error compiles
// (the check is gone) or an unmarked one does not (a valid path is refused).
describe('parameter paths at compile time', () => {
  it('accepts real paths with values of their type', () => {
    const paths: ParameterPath[] = ['exfiltration[*].bytes', 'exfiltration[0].atSeconds', 'traffic.shape', 'detectors.options.ewma.k', 'traffic.thinkTimeSeconds[1]', 'telemetry.prometheus.headers.X-Scope-OrgID'];
    const bytes: PathValue<ParametersInput, 'exfiltration[*].bytes'> = 20_000;
    const shape: PathValue<ParametersInput, 'traffic.shape'> = 'bursty';
    const method: PathValue<ParametersInput, 'exfiltration[1].method'> = 'egress';
    const sweep = defineSweep({
      name: 'typed',
      repeats: 2,
      axes: {
        bytes: axis('exfiltration[*].bytes', [20_000, 50_000]),
        shape: axis('traffic.shape', ['normal', 'bursty']),
        k: axis('detectors.options.ewma.k', [2, 3]),
        enabled: axis('detectors.enabled', [['ewma'], ['ewma', 'control-chart']]),
        think: axis('traffic.thinkTimeSeconds', [[1, 2]]),
        plain: { path: 'durationSeconds', values: [30] },
      },
    });
    assert.equal(paths.length, 6);
    assert.deepEqual([bytes, shape, method], [20_000, 'bursty', 'egress']);
    assert.deepEqual(sweep.axes?.['bytes'], { path: 'exfiltration[*].bytes', values: [20_000, 50_000] });
  });

  it('refuses misspelt paths, unsweepable fields and values of the wrong type', () => {
    // @ts-expect-error misspelt field
    const misspelt: ParameterPath = 'trafic.shape';
    // @ts-expect-error where runs go is the sweep's business
    const named: ParameterPath = 'outputDir';
    // @ts-expect-error bytes are numbers
    const big = () => axis('exfiltration[*].bytes', ['big']);
    // @ts-expect-error not a load shape
    const spiky = () => axis('traffic.shape', ['spiky']);
    // @ts-expect-error misspelt path in axis()
    const shap = () => axis('traffic.shap', ['normal']);
    // @ts-expect-error unknown detector
    const ewmaa = () => axis('detectors.enabled', [['ewmaa']]);
    // @ts-expect-error misspelt path in a plain axis object
    const plain = () => defineSweep({ axes: { s: { path: 'trafic.shape', values: [1] } } });
    assert.equal([misspelt, named, big, spiky, shap, ewmaa, plain].length, 7);
  });
});
