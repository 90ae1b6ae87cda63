// Bug: in a run folder's events.ndjson, an attack whose optional `path` or `bytes` had the
// wrong type (`"path": "user-db,user"`, `"bytes": "400kB"`) was skipped as a bad line, so its
// interval was scored benign (a tester's replay: 4 attacks instead of 5, ewma's AUC 0.960 →
// 0.935), exit 0. run-format.md calls `path`, `bytes` and `method` optional detail, and README
// says an optional field of the wrong type is ignored, as `method` already was. The run's
// reader now keeps the event without the bad field and warns (field, value, "ignored, the event
// is kept"); an `--events` file stays strict and is refused, as documented.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.ts';
import { readEvents } from '../../src/store/index.ts';
import { readEventsFile } from '../../src/store/readEventsFile.ts';
import { captureLog, makeTempDir } from '../util.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'munnin-cybermonday-30k');

describe("an event's optional detail of the wrong type", () => {
  it("a run's events.ndjson keeps the event without it, and says so", async () => {
    const tmp = makeTempDir();
    const log = captureLog();
    try {
      const run = join(tmp.dir, 'run');
      cpSync(FIXTURE, run, { recursive: true });
      const file = join(run, 'events.ndjson');
      const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
      const original = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const edited = original.map((e, i) => (i === 0 ? { ...e, path: 'user-db,user' } : i === 2 ? { ...e, bytes: '400kB', method: 7 } : e));
      writeFileSync(file, edited.map((e) => JSON.stringify(e)).join('\n') + '\n');
      const events = await readEvents(run);
      // Every attack kept, each with its own start and end; only the bad fields left out.
      assert.deepEqual(events.map((e) => [e.start, e.end]), original.map((e) => [e['start'], e['end']]));
      assert.equal(events[0]!.path, undefined);
      assert.deepEqual(events[0]!.bytes, original[0]!['bytes']);
      assert.equal(events[2]!.bytes, undefined);
      assert.equal(events[2]!.method, undefined);
      assert.deepEqual(events[2]!.path, original[2]!['path']);
      assert.equal(log.text('warn'), `${file}:1: path: expected a list of node names (got "user-db,user"); ignored, the event is kept (said for the first such line only)`);
      assert.doesNotMatch(log.text(), /line skipped/);
    } finally {
      log.restore();
      tmp.remove();
    }
  });

  it('an --events file with one is still refused, every mistake named', async () => {
    const tmp = makeTempDir();
    try {
      const file = join(tmp.dir, 'incidents.ndjson');
      writeFileSync(file, '{"kind":"exfiltration","start":10,"end":20,"path":"a,b","bytes":"400kB","method":7}\n');
      const error = await readEventsFile(file).then(() => assert.fail('should be refused'), (e: unknown) => e);
      assert.ok(error instanceof UserError);
      assert.equal(error.message, `--events: ${file} is not in the run format's events form:\n  ${file}:1: bytes: expected a non-negative number (got "400kB"); path: expected a list of node names (got "a,b")`);
    } finally {
      tmp.remove();
    }
  });
});
