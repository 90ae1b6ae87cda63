// Bug (tester G, smaller note): the README's list of experiment flags ("Flags override the file
// without editing it: ...") left out --port and --host, which `npm run experiment -- --help`
// lists. The list now names every flag the command takes (--help aside).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPERIMENT_FLAGS } from '../../src/cli/experimentFlags.ts';

it('the README lists every experiment flag', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('Flags override the file without editing it:');
  assert.ok(start >= 0, 'the paragraph is there');
  const paragraph = readme.slice(start, readme.indexOf('\n\n', start));
  const listed = new Set([...paragraph.matchAll(/`(--[a-z-]+)/g)].map((m) => m[1]!.slice(2)));
  assert.deepEqual(Object.keys(EXPERIMENT_FLAGS).filter((f) => f !== 'help' && !listed.has(f)), []);
});
