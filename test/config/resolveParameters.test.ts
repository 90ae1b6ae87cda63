import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveDetectorParameters, resolveParameters } from '../../src/config/index.ts';
import { detectorOptionProblems } from '../../src/config/detectorOptionProblems.ts';
import { UserError } from '../../src/errors.ts';

/** The validation message for `input`, which must be a UserError with exactly one problem line. */
function oneProblem(input: unknown): string {
  try {
    resolveParameters(input, 'parameters.ts');
  } catch (e) {
    assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
    const lines = e.message.split('\n');
    assert.equal(lines[0], 'parameters.ts: invalid parameters:');
    assert.equal(lines.length, 2, `one problem expected, got:\n${e.message}`);
    return lines[1]!.trim();
  }
  assert.fail('expected the parameters to be rejected');
}

describe('resolveParameters', () => {
  it('applies every default to an empty object', () => {
    const p = resolveParameters({});
    assert.equal(p.target, 'embedded');
    assert.equal(p.outputDir, 'experimental_data');
    assert.deepEqual(p.traffic.mix, { browse: 50, buy: 30, register: 20 });
    assert.deepEqual(p.traffic.thinkTimeSeconds, [2, 4]);
    assert.equal(p.telemetry.prometheus.reporter, 'source');
    assert.equal(p.exfiltration.length, 2);
    assert.deepEqual(
      p.exfiltration.map((x) => x.method),
      ['api', 'egress'],
    );
  });

  it('the defaults finish within about 3 minutes and put both exfiltrations after training', () => {
    const p = resolveParameters({});
    assert.ok(p.durationSeconds <= 180);
    for (const x of p.exfiltration) assert.ok(x.atSeconds > p.detectors.trainingSeconds);
  });

  const cases: [string, unknown, RegExp][] = [
    ['negative duration', { durationSeconds: -5 }, /^durationSeconds: .*\(got -5\)$/],
    ['interval as text', { intervalSeconds: 'five' }, /^intervalSeconds: .*expected number.*\(got "five"\)$/],
    ['unknown method', { exfiltration: [{ atSeconds: 1, bytes: 10, method: 'ftp' }] }, /^exfiltration\[0\]\.method: .*"api".*"egress".*\(got "ftp"\)$/],
    ['fractional bytes', { exfiltration: [{ atSeconds: 1, bytes: 10.5, method: 'api' }] }, /^exfiltration\[0\]\.bytes: .*\(got 10\.5\)$/],
    ['misspelt field', { traffic: { usres: 3 } }, /^traffic\.usres: unknown field/],
    ['misspelt top-level field', { duration: 3 }, /^duration: unknown field/],
    ['unknown shape', { traffic: { shape: 'sawtooth' } }, /^traffic\.shape: .*\(got "sawtooth"\)$/],
    ['zero users', { traffic: { users: 0 } }, /^traffic\.users: .*\(got 0\)$/],
    ['bad run name', { name: '../etc' }, /^name: letters, digits.*\(got "\.\.\/etc"\)$/],
    ['bad prometheus url', { telemetry: { prometheus: { url: 'not a url' } } }, /^telemetry\.prometheus\.url: .*\(got "not a url"\)$/],
    ['unknown detector', { detectors: { enabled: ['ewma', 'magic'] } }, /^detectors\.enabled\[1\]: .*\(got "magic"\)$/],
    ['exfiltration after the end', { durationSeconds: 60, exfiltration: [{ atSeconds: 70, bytes: 1, method: 'api' }], detectors: { trainingSeconds: 30 } }, /^exfiltration\[0\]\.atSeconds: must fall before durationSeconds \(60\) \(got 70\)$/],
    ['think time reversed', { traffic: { thinkTimeSeconds: [4, 2] } }, /^traffic\.thinkTimeSeconds: minimum must not exceed maximum \(got \[4,2\]\)$/],
    ['interval longer than the run', { durationSeconds: 10, intervalSeconds: 20, exfiltration: [], detectors: { trainingSeconds: 1 } }, /^intervalSeconds: must be shorter than durationSeconds \(10\) \(got 20\)$/],
  ];
  for (const [title, input, expected] of cases) {
    it(`rejects ${title} with one message naming the field and the value`, () => {
      assert.match(oneProblem(input), expected);
    });
  }

  it('refuses a credential written in a header without repeating it, and takes it from the environment instead', () => {
    const message = oneProblem({ telemetry: { prometheus: { headers: { Authorization: 'Bearer s3cr3t-t0ken' } } } });
    assert.match(message, /^telemetry\.prometheus\.headers\.Authorization: a credential must not be written in a file: .*headersFromEnv$/);
    assert.equal(message.includes('s3cr3t-t0ken'), false);
    const p = resolveParameters({ telemetry: { prometheus: { headers: { 'X-Scope-OrgID': 'tenant-1' }, headersFromEnv: { Authorization: 'MIMIR_TOKEN' } } } });
    assert.deepEqual(p.telemetry.prometheus.headers, { 'X-Scope-OrgID': 'tenant-1' });
    assert.deepEqual(p.telemetry.prometheus.headersFromEnv, { Authorization: 'MIMIR_TOKEN' });
  });

  it('reports every problem at once, one line each', () => {
    assert.throws(
      () => resolveParameters({ durationSeconds: 0, traffic: { users: -1 } }),
      (e: unknown) => e instanceof UserError && e.message.split('\n').length === 3,
    );
  });

  it('makes the checks across fields even when another field is invalid, and lists the detectors’ option problems with them', () => {
    const input = { durationSeconds: 50, intervalSeconds: 'two', traffic: { thinkTimeSeconds: [4, 2], users: 0 }, exfiltration: [{ atSeconds: 70, bytes: 1, method: 'ftp' }], detectors: { trainingSeconds: 60, options: { ewma: { lambda: 2 }, magic: {} } } };
    assert.throws(
      () => resolveParameters(input, 'p.ts', { detectorOptionProblems }),
      (e: unknown) => {
        assert.ok(e instanceof UserError);
        const lines = e.message.split('\n');
        assert.equal(lines[0], 'p.ts: invalid parameters:');
        assert.deepEqual(lines.slice(1).map((l) => l.trim().split(':')[0]).sort(), [
          'detectors.options.ewma.lambda',
          'detectors.options.magic',
          'detectors.trainingSeconds',
          'exfiltration[0].atSeconds',
          'exfiltration[0].method',
          'intervalSeconds',
          'traffic.thinkTimeSeconds',
          'traffic.users',
        ]);
        assert.ok(lines.includes('  detectors.trainingSeconds: must be shorter than durationSeconds (50) (got 60)'));
        assert.ok(lines.includes('  exfiltration[0].atSeconds: must fall before durationSeconds (50) (got 70)'));
        return true;
      },
    );
  });
});

describe('resolveDetectorParameters (replay)', () => {
  it('reads only `detectors`: no check against durationSeconds, defaults applied', () => {
    const d = resolveDetectorParameters({ trainingSeconds: 86_400 }, 'week.ts', { detectorOptionProblems });
    assert.equal(d.trainingSeconds, 86_400);
    assert.equal(d.enabled.length, 11);
  });
  it('lists schema and detector-option problems at once', () => {
    assert.throws(
      () => resolveDetectorParameters({ enabled: ['nope'], options: { 'control-chart': { k: -1 } } }, 'x.ts', { detectorOptionProblems }),
      (e: unknown) => e instanceof UserError && /^x\.ts: invalid parameters:\n  detectors\.enabled\[0\]: .*\n  detectors\.options\.control-chart\.k: .*\(got -1\)$/.test(e.message),
    );
  });
});
