// Bug (tester G, defect 5): a parameters file setting only `durationSeconds: 50` was refused for
// `exfiltration[0].atSeconds ... (got 90.1)`, `exfiltration[1] ... (got 120.1)` and
// `detectors.trainingSeconds ... (got 60)`: the default schedule and training, which the file
// never mentions, with nothing saying where those values came from (only --duration had a hint).
// Each such line now says the value is the default and how to change it, all in one error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';

function message(input: unknown): string {
  try {
    resolveParameters(input, 'dur50.ts');
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    return e.message;
  }
  assert.fail('expected a UserError');
}

const SCHEDULE = ", the default schedule's: the parameters set no exfiltration; set your own, or [] for none";
const TRAINING = ', the default: the parameters do not set it; set detectors.trainingSeconds shorter';

describe('defaults that do not fit a shorter run', () => {
  it('are said to be defaults, with how to change them, all at once', () => {
    // README "Parameters": the default exfiltrations start at 90.1 s and 120.1 s, training is 60 s.
    assert.equal(
      message({ durationSeconds: 50 }),
      'dur50.ts: invalid parameters:\n' +
        `  exfiltration[0].atSeconds: must fall before durationSeconds (50) (got 90.1${SCHEDULE})\n` +
        `  exfiltration[1].atSeconds: must fall before durationSeconds (50) (got 120.1${SCHEDULE})\n` +
        `  detectors.trainingSeconds: must be shorter than durationSeconds (50) (got 60${TRAINING})`,
    );
    assert.equal(message({ durationSeconds: 100, detectors: { trainingSeconds: 30 } }), `dur50.ts: invalid parameters:\n  exfiltration[1].atSeconds: must fall before durationSeconds (100) (got 120.1${SCHEDULE})`);
  });

  it('values the file sets itself are not called defaults', () => {
    assert.equal(
      message({ durationSeconds: 50, exfiltration: [{ atSeconds: 60, bytes: 1000, method: 'api' }], detectors: { trainingSeconds: 50 } }),
      'dur50.ts: invalid parameters:\n  exfiltration[0].atSeconds: must fall before durationSeconds (50) (got 60)\n  detectors.trainingSeconds: must be shorter than durationSeconds (50) (got 50)',
    );
  });
});
