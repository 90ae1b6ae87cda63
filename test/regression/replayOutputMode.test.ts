import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StagedOutput } from '../../src/replay/index.ts';
import { makeTempDir } from '../util.ts';

// Bug: a replay's output folder (`<run>/replay`, or `--out`) was made by mkdtemp, mode 0700,
// and renamed into place: with umask 0022 it was drwx------, so a colleague or a dashboard
// under another account could not read the results (export/ and sweep folders were 0755).
// Now it gets the usual mode, 0777 & ~umask.
it('a replay output folder is created with mode 0777 & ~umask, as mkdir makes it, both new and replacing an earlier one', () => {
  const tmp = makeTempDir('munnin-out-mode-');
  const previous = process.umask(0o022);
  try {
    const fresh = join(tmp.dir, 'run', 'replay');
    const staged = StagedOutput.begin(fresh);
    writeFileSync(join(staged.dir, 'summary.json'), '{}');
    staged.commit();
    assert.equal(statSync(fresh).mode & 0o777, 0o755);

    // Over an earlier output folder, with another umask: the new folder's mode follows it.
    process.umask(0o027);
    const again = StagedOutput.begin(fresh);
    again.commit();
    assert.equal(statSync(fresh).mode & 0o777, 0o750);

    const existing = join(tmp.dir, 'mine');
    mkdirSync(existing, { mode: 0o700 });
    process.umask(0o002);
    StagedOutput.begin(existing).commit();
    assert.equal(statSync(existing).mode & 0o777, 0o775);
  } finally {
    process.umask(previous);
    tmp.remove();
  }
});
