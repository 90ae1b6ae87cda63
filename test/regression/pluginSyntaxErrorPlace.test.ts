// Bug: a syntax error in a detector plugin was cut off before its location: "detectors.plugins:
// …/syntax2.ts: cannot be loaded: Transform failed with 1 error:" and nothing after, because
// only the first line of the load failure's message was kept. esbuild puts the place and the
// reason on the next line (`file:5:28: ERROR: Expected ")" but found "}"`), as a parameters
// file's syntax error already shows; that line is now kept, indented under the problem.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.ts';
import { loadDetectorPlugins } from '../../src/plugins/index.ts';
import { makeTempDir } from '../util.ts';

describe('a detector plugin with a syntax error', () => {
  it('is reported with esbuild\'s line, column and message', async () => {
    const tmp = makeTempDir();
    try {
      const file = join(tmp.dir, 'syntax.ts');
      // Line 5, column 28 (1-based, as esbuild counts): the `}` where `)` closes `(x => x`.
      writeFileSync(file, ['import { z } from "zod";', 'export default {', '  name: "syn",', '  optionsSchema: z.object({}),', '  create() { return (x => x }', '};', ''].join('\n'));
      const error = await loadDetectorPlugins([file], tmp.dir, []).then(
        () => assert.fail('the plugin should not load'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof UserError, String(error));
      const lines = error.message.split('\n');
      assert.equal(lines[0], 'invalid detector plugins:');
      assert.match(lines[1]!, new RegExp(`^  detectors\\.plugins: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot be loaded: `));
      assert.ok(lines.slice(1).some((l) => l.includes(`${file}:5:28: ERROR: Expected ")" but found "}"`)), error.message);
      assert.ok(lines.length <= 8, 'a few lines, not a stack');
    } finally {
      tmp.remove();
    }
  });
});
