// Bug (tester G, smaller note): a misspelt parameter field (`durationSecond`) was reported as
// "unknown field (misspelt?)" with no suggestion, while a misspelt flag gets "did you mean".
// The field most likely meant (closestName, among the fields the object at that place accepts)
// is now named, at any depth; "misspelt?" stays when no field is near.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parameterProblems } from '../../src/config/index.ts';
import { detectorOptionProblems } from '../../src/config/detectorOptionProblems.ts';

describe('an unknown parameter field', () => {
  it('is given the field most likely meant, at any depth', () => {
    const input = { durationSecond: 50, traffic: { usres: 3 }, exfiltration: [{ atSeconds: 3, bytes: 1, method: 'api', workoad: 'user' }], telemetry: { prometheus: { ur: 'http://x' } }, zzzz: 1 };
    assert.deepEqual(parameterProblems(input).problems.sort(), [
      'durationSecond: unknown field (did you mean durationSeconds?)',
      'exfiltration[0].workoad: unknown field (did you mean workload?)',
      'telemetry.prometheus.ur: unknown field (did you mean url?)',
      'traffic.usres: unknown field (did you mean users?)',
      'zzzz: unknown field (misspelt?)',
    ]);
  });

  it('of a detector\'s options too', () => {
    const { problems } = parameterProblems({ detectors: { options: { ewma: { lamda: 0.3 } } } }, { detectorOptionProblems });
    assert.deepEqual(problems, ['detectors.options.ewma.lamda: unknown option (did you mean lambda?)']);
  });
});
