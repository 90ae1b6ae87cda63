import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEventsFile, readManifest } from '../../src/store/index.ts';
import { captureLog, makeTempDir, readRunBack, writeRunFiles } from '../util.ts';

// Bug: what the reader drops or cannot use went without a word: run.json `complete: "yes"` and
// `name: 5`, an event's `method: 7`, a `gap: true` line's edges, and edge metrics missing from
// run.json's `metrics` (a whole metric ignored on every line). Readers may ignore them (the
// spec), so they are kept out and said once each, with file, line, field and value.

it('run.json: a complete or name of the wrong type is said and left out, not refused', async () => {
  const tmp = makeTempDir();
  try {
    const dir = writeRunFiles(join(tmp.dir, 'run'), { manifest: { format: 'munnin-run/1', intervalSeconds: 5, metrics: ['requests'], complete: 'yes', name: 5 } });
    const warnings: string[] = [];
    const manifest = await readManifest(dir, { warn: (m) => warnings.push(m.replace(dir + '/', '')) });
    assert.equal(manifest.complete, undefined);
    assert.equal(manifest.name, undefined);
    assert.deepEqual(warnings, [
      "run.json: name: expected a string (got 5); ignored, the folder's name is used",
      'run.json: complete: expected true or false (got "yes"); ignored, the run is read as not marked complete',
    ]);
  } finally {
    tmp.remove();
  }
});

for (const path of ['fast', 'general'] as const) {
  it(`snapshots (${path} parser): an unlisted metric and a gap's edges are said once, with their first line`, async () => {
    const tmp = makeTempDir();
    const log = captureLog();
    try {
      // The general path takes lines with a top-level field it does not know.
      const extra = path === 'general' ? ',"reporter":"x"' : '';
      const edges = '[{"src":"a","dst":"b","tcp_sent_bytes":10,"tcp_received_bytes":20}]';
      const snapshots = [5, 10, 15, 20].map((t) => (t === 15 ? `{"t":15,"dt":5,"gap":true,"edges":${edges}}` : `{"t":${t},"dt":5${extra},"edges":${edges}}`)).join('\n') + '\n';
      const dir = writeRunFiles(join(tmp.dir, 'run'), {
        manifest: { format: 'munnin-run/1', intervalSeconds: 5, metrics: ['tcp_sent_bytes'] },
        snapshots: snapshots + `{"t":25,"dt":5,"gap":true,"edges":${edges}}\n`,
        events: '{"kind":"scan","start":1,"end":2,"method":7}\n{"kind":"note","start":3,"end":3,"method":8}\n',
      });
      const run = await readRunBack(dir);
      assert.deepEqual(run.snapshots.map((s) => s.gap), [false, false, true, false, true]);
      assert.deepEqual(run.snapshots[0]!.edges[0]!.values, { tcp_sent_bytes: 10 });
      const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message.replaceAll(dir + '/', ''));
      assert.deepEqual(warnings, [
        "snapshots.ndjson:1: edges: tcp_received_bytes (20) is not among run.json's metrics (tcp_sent_bytes), so it is ignored (a writer must list every metric key it writes; said for the first such line only)",
        "snapshots.ndjson:3: gap: true, with 1 edge: a gap's traffic is unknown, so it is ignored (said for the first such line only)",
        'events.ndjson:1: method: expected a string such as "api" (got 7); ignored, the event is kept (said for the first such line only)',
      ]);
      assert.deepEqual(run.events.map((e) => [e.kind, e.method]), [['scan', undefined], ['note', undefined]]);
    } finally {
      log.restore();
      tmp.remove();
    }
  });
}

it('--events: a method of the wrong type is said, and the event kept', async () => {
  const tmp = makeTempDir();
  const log = captureLog();
  try {
    const file = join(tmp.dir, 'truth.ndjson');
    writeFileSync(file, '{"kind":"exfiltration","start":1,"end":2,"method":7}\n');
    const events = await readEventsFile(file);
    assert.deepEqual(events, [{ kind: 'exfiltration', start: 1, end: 2 }]);
    assert.match(log.text('warn'), /truth\.ndjson:1: method: expected a string such as "api" \(got 7\); ignored, the event is kept/);
  } finally {
    log.restore();
    tmp.remove();
  }
});
