import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeReport } from '../../src/report/index.ts';
import { writeFakeReplay, type FakeSnapshot } from '../report/fakeReplay.ts';
import { writeRun } from '../report/runFixture.ts';
import { captureLog, makeTempDir } from '../util.ts';

// Bug: `npm run replay -- <run> 2>&1 | cat` ended with "report: 14/20 charts drawn" (16/20 on
// another run) though every chart was written: the progress line is throttled to one a second
// and the last one was never completed, so a log read as charts failing. Once any progress line
// is shown, the last now says every chart is drawn. Time is virtual: a clock that moves 400 ms
// each time it is read.

it('the report\'s last progress line counts every chart', async () => {
  const tmp = makeTempDir('munnin-report-progress-');
  const log = captureLog();
  try {
    const runDir = join(tmp.dir, 'run');
    const snapshots: FakeSnapshot[] = Array.from({ length: 30 }, (_, i) => ({
      t: 1000 + 2 * (i + 1),
      dt: 2,
      edges: [
        { src: 'front-end', dst: 'user', request_bytes: 500 + 11 * (i % 3), response_bytes: 8000 + 300 * (i % 4) + (i === 20 ? 400_000 : 0) },
        { src: 'user', dst: 'user-db', request_bytes: 300 + 7 * (i % 5), response_bytes: 4000 + 200 * (i % 3) },
      ],
    }));
    writeRun(runDir, { name: 'progress', intervalSeconds: 2, metrics: ['request_bytes', 'response_bytes'], services: ['front-end', 'user', 'user-db'] }, snapshots, [
      { kind: 'exfiltration', start: 1040, end: 1042, bytes: 400_000, method: 'api', path: ['user', 'front-end'] },
    ]);
    writeFakeReplay(runDir, join(runDir, 'replay'), [
      { name: 'ewma', threshold: 100_000, score: (s) => Number(s.edges[0]?.['response_bytes'] ?? 0) },
      { name: 'cusum', threshold: 1e9, score: (s) => s.edges.length },
      { name: 'midas', threshold: 1e9, score: (s) => s.t },
    ], 5);
    let clock = 0;
    const report = await writeReport({ runDir, replayDir: join(runDir, 'replay'), progress: true, now: () => (clock += 400) });
    const charts = report.model.charts.length;
    // The clock is read at the start (400) and after each chart (800, 1,200, 1,600, …): a line is
    // shown when more than 1 s has passed since the start and since the last line, after every
    // third chart (3, 6, …). With a count not a multiple of 3 the throttle skips the last.
    assert.ok(charts >= 4 && charts % 3 !== 0, `charts for the throttle to skip the last (${charts})`);
    const lines = log.messages.filter((m) => m.message.startsWith('report:')).map((m) => m.message);
    assert.ok(lines.length >= 2, lines.join('\n'));
    assert.equal(lines.at(-1), `report: ${charts}/${charts} charts drawn`);
    assert.equal(lines[0], `report: 3/${charts} charts drawn`);
  } finally {
    log.restore();
    tmp.remove();
  }
});
