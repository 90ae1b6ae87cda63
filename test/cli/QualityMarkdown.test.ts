import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QualityMarkdown } from '../../src/cli/QualityMarkdown.ts';
import type { RunsComparison } from '../../src/evaluation/index.ts';

const empty: RunsComparison = { detectors: [], falseAlarmRate: 0.01, pooled: {}, byBytes: [], byBytesLeftOut: {} };

test('the page writes the folders as <out> and <repository>, whole paths only, and keeps a heading’s <…> visible', () => {
  const page = new QualityMarkdown('/tmp/q', '/home/me/munnin');
  page.add('b. injected sweep of /home/me/munnin/test/fixtures/run1', 'npm run replay -- /tmp/q/injected-sweep --out /tmp/q/injected-sweep-replay', 'parameters.ts', empty);
  const text = page.text({ commit: 'abc1234', argv: ['--out', '/tmp/q', '--markdown', '/tmp/q.md'], date: new Date('2026-12-07T18:00:00Z') });
  const lines = text.split('\n');
  assert.equal(lines[0], '# Measured quality');
  // /tmp/q.md starts with /tmp/q but is another path: written as given.
  assert.equal(lines[2], 'Written by `npm run quality -- --out <out> --markdown /tmp/q.md` at commit abc1234, 2026-12-07.');
  // Outside a code span <repository> is escaped, or a Markdown renderer would take it for an HTML tag and hide it.
  assert.ok(lines.includes('## b. injected sweep of &lt;repository&gt;/test/fixtures/run1'), text);
  assert.ok(lines.includes('`npm run replay -- <out>/injected-sweep --out <out>/injected-sweep-replay` (detector settings: parameters.ts)'), text);
});
