import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SnapshotIndex } from '../../src/dashboard/index.ts';
import { makeTempDir } from '../util.ts';

describe('SnapshotIndex', () => {
  const tmp = makeTempDir('munnin-index-');
  after(() => tmp.remove());

  it('indexes complete lines only, skips blank ones, and keeps multi-byte text exact', async () => {
    const file = join(tmp.dir, 'a.ndjson');
    writeFileSync(file, 'one\n\n  \r\nzwei – drei\r\nvier 🦊\nhalf');
    const index = new SnapshotIndex(file);
    assert.equal(await index.refresh(), 3);
    assert.deepEqual(await index.read(0, 10), ['one', 'zwei – drei\r', 'vier 🦊']);
    assert.deepEqual(await index.read(1, 1), ['zwei – drei\r']);
    assert.deepEqual(await index.read(3, 5), []);
  });

  it('catches up with appended bytes, including a line finished across two appends', async () => {
    const file = join(tmp.dir, 'b.ndjson');
    writeFileSync(file, 'l1\nl2 begins');
    const index = new SnapshotIndex(file);
    assert.equal(await index.refresh(), 1);
    appendFileSync(file, ' and ends\nl3\n');
    assert.equal(await index.refresh(), 3);
    assert.deepEqual(await index.read(0, 3), ['l1', 'l2 begins and ends', 'l3']);
  });

  it('starts afresh when the file is replaced or shrinks, and reads a missing file as empty', async () => {
    const file = join(tmp.dir, 'c.ndjson');
    writeFileSync(file, 'x1\nx2\nx3\n');
    const index = new SnapshotIndex(file);
    assert.equal(await index.refresh(), 3);
    writeFileSync(file, 'y1\n');
    assert.equal(await index.refresh(), 1);
    assert.deepEqual(await index.read(0, 5), ['y1']);
    rmSync(file);
    assert.equal(await index.refresh(), 0);
  });

  it('reads across its scan chunks (1 MiB) without losing or splitting lines', async () => {
    const file = join(tmp.dir, 'd.ndjson');
    const lines = Array.from({ length: 30_000 }, (_, i) => `{"i":${i},"pad":"${'é'.repeat(i % 50)}"}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const index = new SnapshotIndex(file);
    assert.equal(await index.refresh(), lines.length);
    assert.deepEqual(await index.read(12_345, 3), lines.slice(12_345, 12_348));
    assert.deepEqual(await index.read(29_999, 1), [lines[29_999]]);
  });
});
