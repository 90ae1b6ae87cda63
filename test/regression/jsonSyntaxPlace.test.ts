// Bug: a run.json syntax error was located by line and column only when V8's message said "at
// position N". On Node 20 many do not: `"metrics": [,]` gave `run.json: not valid JSON:
// Unexpected token ',', ..."etrics": [,]}⏎" is not valid JSON`, with no line nor column and the
// file's own newline inside the one-line error. The place is now found by reading the text as
// the JSON grammar allows (jsonSyntaxError), and line breaks in V8's message are written `\n`.
// sweep.json, also hand-edited, is reported the same way.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../../src/store/index.ts';
import { firstBadOffset } from '../../src/store/jsonSyntaxError.ts';
import { readSweepIndex } from '../../src/sweep/sweepIndex.ts';
import { UserError } from '../../src/errors.ts';
import { makeTempDir } from '../util.ts';

async function refusal(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    return e.message;
  }
  assert.fail('expected a UserError');
}

describe('JSON syntax errors of hand-edited files', () => {
  it('run.json: line and column of `[,]`, one line, where V8 gives no position', async () => {
    const tmp = makeTempDir();
    try {
      // Line 4 is `  "metrics": [,]`: two spaces, `"metrics": [` (12 characters), the comma at column 15.
      const text = '{\n  "format": "munnin-run/1",\n  "intervalSeconds": 5,\n  "metrics": [,]\n}\n';
      writeFileSync(join(tmp.dir, 'run.json'), text);
      writeFileSync(join(tmp.dir, 'snapshots.ndjson'), '');
      const message = await refusal(() => readManifest(tmp.dir));
      assert.match(message, new RegExp(`^${join(tmp.dir, 'run.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:15: not valid JSON: `));
      assert.ok(!message.includes('\n'), `one line: ${JSON.stringify(message)}`);
      // The end of the file when it stops early: line 2 (after the newline ending line 1), column 1.
      writeFileSync(join(tmp.dir, 'run.json'), '{"format": "munnin-run/1",\n');
      assert.match(await refusal(() => readManifest(tmp.dir)), /run\.json:2:1: not valid JSON: /);
    } finally {
      tmp.remove();
    }
  });

  it('sweep.json: the same', async () => {
    const tmp = makeTempDir();
    try {
      const dir = join(tmp.dir, 'sweep');
      mkdirSync(dir);
      writeFileSync(join(dir, 'sweep.json'), '{\n  "runs": [\n    {"name": "a",}\n  ]\n}\n');
      // Line 3 `    {"name": "a",}`: the `}` after the trailing comma is character 18.
      const message = await refusal(() => readSweepIndex(dir));
      assert.match(message, /sweep\.json:3:18: not valid JSON: /);
      assert.ok(!message.includes('\n'));
    } finally {
      tmp.remove();
    }
  });

  it('finds the offset V8 reports, where V8 reports one (V8 is the independent judge)', () => {
    const texts = ['{', '{"a":1,}', '{"a" 1}', '01', '-', '1.', '1e', '"a\nb"', '{} x', '{"a":1}}', '"\\q"', '[1, 2, {"b": [tru]}]', '{"a": "\\u12G4"}', '  \n [1 2]', '{"a":{"b":[1,{"c":nul}]}}'];
    let compared = 0;
    for (const text of texts) {
      let v8: number | undefined;
      try {
        JSON.parse(text);
      } catch (e) {
        const m = /at position (\d+)/.exec((e as Error).message);
        v8 = m ? Number(m[1]) : undefined;
      }
      if (v8 === undefined) continue;
      compared++;
      assert.equal(firstBadOffset(text), v8, JSON.stringify(text));
    }
    assert.ok(compared >= 10, `V8 gave a position for ${compared} of them`);
    // JSON, nested deeper than a recursive reader could go, is JSON.
    for (const text of ['{"a": [1, -2.5e+3, true, false, null, "x\\"\\u00e9"], "b": {}}', '[]', ' 0 ', `${'['.repeat(100_000)}${']'.repeat(100_000)}`]) {
      assert.doesNotThrow(() => JSON.parse(text));
      assert.equal(firstBadOffset(text), undefined);
    }
    assert.equal(firstBadOffset(''), 0);
    assert.equal(firstBadOffset('[1,]'), 3); // by hand: the `]` after the comma
  });
});
