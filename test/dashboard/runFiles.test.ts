import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonLines, readRunEvents } from '../../src/dashboard/runFiles.ts';
import { makeTempDir } from '../util.ts';

test('jsonLines: a whole last line without its newline is kept, a half-written one left out uncounted, bad lines counted', () => {
  assert.deepEqual(jsonLines('{"a":1}\n{"b":2}'), { values: [{ a: 1 }, { b: 2 }], bad: 0 });
  assert.deepEqual(jsonLines('{"a":1}\n{"b":'), { values: [{ a: 1 }], bad: 0 });
  assert.deepEqual(jsonLines('{"a":1}\nnot json\n\n{"c":3}\n'), { values: [{ a: 1 }, { c: 3 }], bad: 1 });
});

test('readRunEvents: events.ndjson from another tool without a final newline loses no event', async () => {
  const tmp = makeTempDir('munnin-runfiles-');
  try {
    writeFileSync(join(tmp.dir, 'events.ndjson'), '{"kind":"note","start":1,"end":2}\n{"kind":"exfiltration","start":10,"end":15,"bytes":5}');
    const { events, badLines } = await readRunEvents(tmp.dir);
    assert.deepEqual(
      events.map((e) => [e.kind, e.start]),
      [
        ['note', 1],
        ['exfiltration', 10],
      ],
    );
    assert.equal(badLines, 0);
  } finally {
    tmp.remove();
  }
});
