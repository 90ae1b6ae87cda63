import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { ReplayProgress, runReplay } from '../../src/replay/index.ts';
import { readManifest, readSnapshots } from '../../src/store/index.ts';
import { readLineBytes } from '../../src/store/readLineBytes.ts';
import { captureLog, makeTempDir } from '../util.ts';

// Bug: live replay progress always read N/~N (100 %): `5/~5 intervals (100 %)` … `71/~71`,
// and `41/~41 (100 %)` at +190 s of a 360-s run. The estimate is intervals ÷ share of
// snapshots.ndjson read, and the share was the bytes of the chunks read: one 1 MiB chunk holds
// the whole 141 kB run, so the share was 1 from the first line. The share is now the bytes up to
// the end of the line just read, so the estimate is the run's length from the start, exact at the
// end.

const RUN = join(import.meta.dirname, '..', 'fixtures', 'munnin-cybermonday-30k');

it('reports progress as the bytes up to the end of each line, not of the chunk read', async () => {
  const text = readFileSync(join(RUN, 'snapshots.ndjson'), 'utf8');
  // Offsets worked out from the text: the end of each line, its newline included.
  const ends: number[] = [];
  let at = 0;
  for (const line of text.split('\n').slice(0, -1)) ends.push((at += Buffer.byteLength(line) + 1));
  const seen: number[] = [];
  for await (const _ of readSnapshots(RUN, (await readManifest(RUN)).metrics, { progress: (p) => seen.push(p.bytesRead) }));
  assert.deepEqual(seen, ends);
  assert.equal(seen.at(-1), Buffer.byteLength(text));
});

it('counts the bytes up to each line end whatever the chunks: lines across chunks, a byte-order mark, CRLF, no last newline', async () => {
  const tmp = makeTempDir('munnin-consumed-');
  try {
    const text = '\ufeffpremière ligne\r\nsecond\n\nlast without newline ünïcødé';
    const path = join(tmp.dir, 'f');
    writeFileSync(path, text);
    // Line ends in bytes, worked out by hand: BOM 3 + "première ligne" 15 + CRLF 2 = 20; "second\n" 7 → 27; "\n" → 28; the rest, 28 characters of which 4 (ü ï ø é) take two bytes → 28 + 32 = 60.
    assert.equal(Buffer.byteLength(text), 60);
    for (const chunkBytes of [1, 3, 7, 1 << 20]) {
      const seen: number[] = [];
      for await (const line of readLineBytes(path, { chunkBytes })) seen.push(line.consumedBytes);
      assert.deepEqual(seen, [20, 27, 28, 60], `chunks of ${chunkBytes}`);
    }
  } finally {
    tmp.remove();
  }
});

it('estimates the run length from the first intervals on, and gives the exact count at the end', async () => {
  const total = readFileSync(join(RUN, 'snapshots.ndjson'), 'utf8').trim().split('\n').length;
  const tmp = makeTempDir('munnin-progress-');
  const log = captureLog();
  try {
    // Printed on every update (no throttle), as a terminal-less replay prints every ten seconds.
    const progress = new ReplayProgress(true, 'replaying', 0, () => 1);
    await runReplay(RUN, { outDir: tmp.dir, detectors: resolveParameters({ detectors: { trainingSeconds: 100 } }).detectors, onProgress: (p) => progress.update(p) });
    const lines = log.messages.map((m) => /^replaying: (\d+)\/~(\d+) intervals \((\d+) %\)$/.exec(m.message)).filter((m) => m !== null);
    assert.equal(lines.length, total);
    for (const [, done, estimate, percent] of lines) {
      // Lines of the fixture differ in length by a few per cent: the estimate stays within 10 %.
      assert.ok(Math.abs(Number(estimate) - total) <= 0.1 * total, `${done}/~${estimate} for a run of ${total}`);
      assert.ok(Math.abs(Number(percent) - (100 * Number(done)) / total) <= 10, `${done} at ${percent} %`);
    }
    assert.deepEqual(lines[4]!.slice(1, 2), ['5']);
    assert.notEqual(lines[4]![3], '100');
    assert.deepEqual(lines.at(-1)!.slice(1), [String(total), String(total), '100']);
  } finally {
    log.restore();
    tmp.remove();
  }
});
