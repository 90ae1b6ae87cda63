import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, writeRunFiles } from '../util.ts';

// Bug: `replay --out notes.txt`, an existing file, ran the whole replay, then failed to swap the
// outputs in with "a part of the path is a file" and left the user's file renamed to a hidden
// `.notes.txt.staging-…old` with a folder in its place. Now it is refused before anything
// runs, in the words `export --out <file>` uses, and the file is left as it was.
const root = join(import.meta.dirname, '..', '..');
const BASE = 1_800_000_000;

it('replay --out <an existing file> is refused up front and the file is untouched', () => {
  const tmp = makeTempDir('munnin-out-file-');
  try {
    let snapshots = '';
    for (let i = 1; i <= 20; i++) snapshots += `${JSON.stringify({ t: BASE + i, dt: 1, edges: [{ src: 'a', dst: 'b', request_bytes: 100 }] })}\n`;
    const dir = writeRunFiles(join(tmp.dir, 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['request_bytes'] }, snapshots });
    const notes = join(tmp.dir, 'notes.txt');
    writeFileSync(notes, 'my notes\n');
    const r = spawnSync(process.execPath, ['--import', join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(root, 'src', 'cli', 'replay.ts'), dir, '--out', notes, '--no-report', '--quiet', '--training', '5', '--detectors', 'ewma'], {
      cwd: tmp.dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `error: ${notes}: cannot write the replay output there: ${notes} is a file, not a folder; choose another folder with --out\n`);
    assert.doesNotMatch(r.stdout, /detector +TP/, 'refused before replaying: no table');
    assert.equal(readFileSync(notes, 'utf8'), 'my notes\n');
    assert.deepEqual(readdirSync(tmp.dir).sort(), ['notes.txt', 'run']);
  } finally {
    tmp.remove();
  }
});
