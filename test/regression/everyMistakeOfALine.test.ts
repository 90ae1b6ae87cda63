import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkEvent, decodeSnapshot } from '../../src/store/index.ts';
import { captureLog, makeTempDir, readRunBack, writeRunFiles } from '../util.ts';

// Bug: a bad snapshots.ndjson or events.ndjson line was reported with its first mistake only
// (README: every mistake at once), so a user fixed and reran once per mistake.

const METRICS = ['requests', 'tcp_sent_bytes'];

it('a bad snapshot line is reported with every mistake, each naming its field and value', async () => {
  const tmp = makeTempDir();
  const log = captureLog();
  try {
    const snapshots = [
      '{"t":5,"dt":5,"edges":[{"src":"a","dst":"b","requests":1}]}',
      // Line 2: dt a string (line skipped: no interval to keep), a negative value, a numeric src.
      '{"t":10,"dt":"5","edges":[{"src":"a","dst":"b","tcp_sent_bytes":-1},{"src":7,"dst":"c"}]}',
      // Line 3: t and dt fine (kept as a gap), a duplicate pair and a string value.
      '{"t":15,"dt":5,"edges":[{"src":"a","dst":"b"},{"src":"a","dst":"b","requests":"3"}]}',
      '{"t":20,"dt":5,"edges":[]}',
    ].join('\n') + '\n';
    const dir = writeRunFiles(join(tmp.dir, 'run'), {
      manifest: { format: 'munnin-run/1', intervalSeconds: 5, metrics: METRICS },
      snapshots,
      events: '{"kind":5,"start":"1500000200","end":null,"path":"user-db,user","bytes":-3}\n{"kind":"scan","start":7,"end":6}\n',
    });
    const run = await readRunBack(dir);
    assert.deepEqual(run.snapshots.map((s) => [s.t, s.gap]), [[5, false], [15, true], [20, false]]);
    const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    const line = (file: string, n: number) => warnings.filter((w) => w.includes(`${file}:${n}:`));
    assert.deepEqual(line('snapshots.ndjson', 2).map((w) => w.slice(w.indexOf(':2:') + 4)), [
      'dt: expected a positive number of seconds (got "5"); edges[0].tcp_sent_bytes: expected a non-negative number (got -1); edges[1].src: expected a node name (got 7); line skipped',
    ]);
    assert.deepEqual(line('snapshots.ndjson', 3).map((w) => w.slice(w.indexOf(':3:') + 4)), [
      'edges[1]: a → b appears twice; edges[1].requests: expected a non-negative number (got "3"); interval kept as a gap',
    ]);
    assert.deepEqual(line('events.ndjson', 1).map((w) => w.slice(w.indexOf(':1:') + 4)), [
      'kind: expected a string such as "exfiltration" (got 5); start: expected Unix seconds (got "1500000200"); end: expected Unix seconds (got null); bytes: expected a non-negative number (got -3); path: expected a list of node names (got "user-db,user"); line skipped',
    ]);
    assert.deepEqual(line('events.ndjson', 2).map((w) => w.slice(w.indexOf(':2:') + 4)), ['end: must not come before start (7) (got 6); line skipped']);
    assert.deepEqual(run.events, []);
  } finally {
    log.restore();
    tmp.remove();
  }
});

it('a line with many bad edges lists ten problems and counts the rest', () => {
  const edges = Array.from({ length: 25 }, (_, i) => ({ src: `s${i}`, dst: 'd', requests: -1 }));
  const decoded = decodeSnapshot({ t: 5, dt: 5, edges }, METRICS);
  assert.equal(decoded.ok, false);
  const problem = decoded.ok ? '' : decoded.problem;
  assert.equal(problem.split('; ').length, 11);
  assert.match(problem, /^edges\[0\]\.requests: expected a non-negative number \(got -1\); .*edges\[9\]\.requests: .*; and 15 more problems$/);
  assert.equal(checkEvent({ kind: 'scan', start: 1, end: 2 }) instanceof Object, true);
});
