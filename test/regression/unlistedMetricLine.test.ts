import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readSnapshots } from '../../src/store/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug: the "metric not in run.json" warning could name the wrong line. The fast line parser
// noted the first unlisted key while reading a line's edges, even on a line it then left to
// the general path; when that path skipped the line (a bad `t`), the note was said against the
// next good line, which had no such key. And a `gap: true` line whose edges came before `gap`
// was said to hold one (a gap's edges are ignored whole), while the same line with `gap` first
// was not. The note is now made anew for each line and used only when the fast parser read it.

async function warningsOf(snapshots: string): Promise<string[]> {
  const tmp = makeTempDir();
  const log = captureLog();
  try {
    const dir = writeRunFiles(join(tmp.dir, 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 5, metrics: ['requests'] }, snapshots });
    for await (const _ of readSnapshots(dir, ['requests'])) void _;
    return log.messages.filter((m) => m.level === 'warn').map((m) => m.message.replaceAll(`${dir}/`, ''));
  } finally {
    log.restore();
    tmp.remove();
  }
}

const UNLISTED = "is not among run.json's metrics (requests), so it is ignored (a writer must list every metric key it writes; said for the first such line only)";

it('an unlisted key on a skipped line is not said against the next line', async () => {
  const warnings = await warningsOf(
    [
      '{"t":1700000005,"dt":5,"edges":[{"src":"a","dst":"b","requests":1}]}',
      '{"edges":[{"src":"a","dst":"b","requests":1,"foo":7}],"t":"x","dt":5}',
      '{"t":1700000015,"dt":5,"edges":[{"src":"a","dst":"b","requests":1}]}',
      '{"t":1700000020,"dt":5,"edges":[{"src":"a","dst":"b","requests":1,"bar":3}]}',
    ].join('\n') + '\n',
  );
  assert.deepEqual(warnings, ['snapshots.ndjson:2: t: expected a number of Unix seconds (got "x"); line skipped', `snapshots.ndjson:4: edges: bar (3) ${UNLISTED}`]);
});

it('a gap line\'s unlisted key is not said, whether its edges come before gap or after', async () => {
  for (const gapLine of [
    '{"edges":[{"src":"a","dst":"b","requests":1,"foo":7}],"t":1700000010,"dt":5,"gap":true}',
    '{"gap":true,"t":1700000010,"dt":5,"edges":[{"src":"a","dst":"b","requests":1,"foo":7}]}',
  ]) {
    const warnings = await warningsOf(`{"t":1700000005,"dt":5,"edges":[{"src":"a","dst":"b","requests":1}]}\n${gapLine}\n`);
    assert.deepEqual(warnings, ["snapshots.ndjson:2: gap: true, with 1 edge: a gap's traffic is unknown, so it is ignored (said for the first such line only)"], gapLine);
  }
});
