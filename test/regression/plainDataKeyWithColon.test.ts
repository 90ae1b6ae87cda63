// Bug: when parameters held values that are not plain data, loadParameters recovered each
// refused field's path from its formatted message, up to the first ": ". A key containing
// ": " was cut there: `traffic: { 'users: 12': () => 12, users: 12.5 }` refused the function at
// "traffic.users", and the schema's mistake about the real traffic.users (12.5 users) was
// hidden as if it were about the refused field. plainDataProblems now returns each problem's
// path and message apart (and the plain copy, from the same walk); messages are formatted last.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadParameters, parameterProblems } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { makeTempDir } from '../util.ts';

it('a refused key containing ": " hides no mistake of another field', async () => {
  const tmp = makeTempDir();
  try {
    const file = join(tmp.dir, 'params.ts');
    writeFileSync(file, "export const parameters = { traffic: { 'users: 12': () => 12, users: 12.5 } };\n");
    const error = await loadParameters(file, { problemsBeside: (plain) => parameterProblems(plain).problems }).catch((e: unknown) => e);
    assert.ok(error instanceof UserError);
    const lines = error.message.split('\n').slice(1).map((l) => l.trim());
    assert.equal(lines.length, 2, error.message);
    assert.match(lines[0]!, /^traffic\.users: 12: a function is not allowed here/);
    assert.match(lines[1]!, /^traffic\.users: .*12\.5/);
  } finally {
    tmp.remove();
  }
});
