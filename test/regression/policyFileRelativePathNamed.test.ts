// Tester J (6 Dec): `new-edge.policyFile: ./policy.json` that could not be read said only
// "cannot read policy file ./policy.json: ENOENT", naming neither the file it looked for nor
// where a relative path is read from (the working directory, not the parameters file's folder,
// as plugins are). Now the full path and that rule are in the message.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolve } from 'node:path';
import { newEdge } from '../../src/detectors/new-edge/index.ts';
import { UserError } from '../../src/errors.ts';

test('a policy file that cannot be read is named with its full path, and a relative one with where it is read from', () => {
  const relative = 'no-such-dir-munnin/policy.json';
  assert.throws(
    () => newEdge({ policyFile: relative }),
    (e: unknown) =>
      e instanceof UserError &&
      e.message ===
        `detectors.options.new-edge.policyFile: cannot read policy file ${relative} (${resolve(process.cwd(), relative)}, from the working directory): ENOENT`,
  );
});
