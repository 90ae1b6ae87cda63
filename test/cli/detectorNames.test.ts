import { it } from 'node:test';
import assert from 'node:assert/strict';
import { CLI_DETECTOR_NAMES } from '../../src/cli/detectorNames.ts';
import { DETECTOR_NAMES } from '../../src/detectors/index.ts';

it("the commands' copy of the detector names is the registry's, in its order", () => {
  assert.deepEqual([...CLI_DETECTOR_NAMES], [...DETECTOR_NAMES]);
});
