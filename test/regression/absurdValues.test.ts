import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { from, lastValueFrom, toArray } from 'rxjs';
import { resolveParameters } from '../../src/config/index.ts';
import { ReplayFiles } from '../../src/evaluation/index.ts';
import { differentiate } from '../../src/matrix/index.ts';
import { exportRun } from '../../src/report/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { createIstioMapper, TelemetryDataError } from '../../src/telemetry/index.ts';
import type { ReplaySummary } from '../../src/evaluation/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug: one absurd value (1e308) made scores Infinity in scores.csv and the export and took a
// chart's FPR from 7 % to 76 %, without a word. Now a value beyond 2^53 − 1 is bad input where
// it enters (the interval is a gap, warned), and a score that is not finite is written as NaN
// (scores.csv) or left empty (export), never as Infinity.
const RUN = fileURLToPath(new URL('../fixtures/munnin-cybermonday-30k', import.meta.url));

it('an interval with an absurd value is replayed exactly as a gap would be, with a warning', async () => {
  const tmp = makeTempDir('munnin-absurd-');
  const log = captureLog();
  try {
    const lines = readFileSync(join(RUN, 'snapshots.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const k = 50; // after training, before the end
    const line = JSON.parse(lines[k]!) as { t: number; dt: number; edges: Record<string, unknown>[] };
    const metric = Object.keys(line.edges[0]!).find((key) => key !== 'src' && key !== 'dst')!;
    const absurd = lines.map((l, i) => (i === k ? JSON.stringify({ ...line, edges: [{ ...line.edges[0], [metric]: 1e308 }, ...line.edges.slice(1)] }) : l));
    const asGap = lines.map((l, i) => (i === k ? JSON.stringify({ t: line.t, dt: line.dt, gap: true, edges: [] }) : l));
    const run = (name: string, snapshots: string[]) => {
      const dir = join(tmp.dir, name);
      mkdirSync(dir);
      for (const f of ['run.json', 'events.ndjson']) writeFileSync(join(dir, f), readFileSync(join(RUN, f)));
      writeFileSync(join(dir, 'snapshots.ndjson'), `${snapshots.join('\n')}\n`);
      return dir;
    };
    const detectors = resolveParameters({}).detectors;
    const a = await runReplay(run('absurd', absurd), { outDir: join(tmp.dir, 'absurd', 'replay'), detectors });
    const b = await runReplay(run('gap', asGap), { outDir: join(tmp.dir, 'gap', 'replay'), detectors });
    // The absurd line is a bad line kept as a gap (counted in badLines); all else is the same.
    const strip = (s: ReplaySummary) => ({ ...s, run: '', badLines: undefined });
    assert.deepEqual(strip(a.summary), strip(b.summary));
    assert.deepEqual(a.summary.badLines, { snapshots: 1, events: 0 });
    assert.match(log.text('warn'), new RegExp(`snapshots\\.ndjson:${k + 1}: edges\\[0\\]\\.${metric}: 1e\\+308 is beyond any real traffic \\(at most 9007199254740991\\); interval kept as a gap`));
    assert.doesNotMatch(readFileSync(join(tmp.dir, 'absurd', 'replay', 'scores.csv'), 'utf8'), /Infinity/);
  } finally {
    log.restore();
    tmp.remove();
  }
});

it('live telemetry with an absurd counter is a fault (a gap), and a jump beyond 2^53 in a sum too', async () => {
  const mapper = createIstioMapper();
  const labels = { reporter: 'source', source_workload: 'a', destination_service_name: 'b' };
  assert.throws(() => mapper.toSample('istio_request_bytes_sum', labels, 1e308, 'sidecar a'), (e: unknown) => e instanceof TelemetryDataError && /has value 1e\+308, beyond any real counter \(at most 9007199254740991\)/.test(e.message));
  assert.ok(mapper.toSample('istio_request_bytes_sum', labels, 2 ** 52, 'sidecar a'));
  // Two series of one edge, each plausible, summing beyond 2^53 − 1.
  const sample = (series: string, value: number) => ({ metric: 'request_bytes', src: 'a', dst: 'b', series, value });
  const reads = [
    { kind: 'read' as const, t: 1, samples: [sample('x', 0), sample('y', 0)] },
    { kind: 'read' as const, t: 2, samples: [sample('x', 2 ** 52 + 2 ** 51), sample('y', 2 ** 52)] },
    { kind: 'read' as const, t: 3, samples: [sample('x', 2 ** 52 + 2 ** 51 + 5), sample('y', 2 ** 52 + 5)] },
    { kind: 'read' as const, t: 4, samples: [sample('x', 2 ** 52 + 2 ** 51 + 15), sample('y', 2 ** 52 + 5)] },
  ];
  const out = await lastValueFrom(from(reads).pipe(differentiate(), toArray()));
  assert.deepEqual(
    out.map((s) => [s.t, s.gap, s.edges.map((e) => e.values['request_bytes'])]),
    [
      [2, true, []],
      [3, true, []],
      [4, false, [10]],
    ],
  );
  assert.match(out[0]!.reason!, /^implausible traffic: a → b request_bytes = 1125899906842624\d* \(at most 9007199254740991\)$/);
});

it('a score that is not finite is written as NaN in scores.csv and left empty in the export', async () => {
  const tmp = makeTempDir('munnin-absurd-out-');
  try {
    const dir = writeRunFiles(join(tmp.dir, 'r'), { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['request_bytes'] }, snapshots: `${JSON.stringify({ t: 1, dt: 1, edges: [] })}\n${JSON.stringify({ t: 2, dt: 1, edges: [] })}\n`, events: '' });
    const files = new ReplayFiles(join(dir, 'replay'));
    files.addVerdict({ t: 1, dt: 1, detector: 'd', score: Number.POSITIVE_INFINITY, threshold: 3, alarm: true, training: false, gap: false, blamed: [] }, false);
    files.addVerdict({ t: 2, dt: 1, detector: 'd', score: 1.5, threshold: Number.NEGATIVE_INFINITY, alarm: true, training: false, gap: false, blamed: [] }, false);
    files.finish({} as ReplaySummary);
    assert.equal(readFileSync(join(dir, 'replay', 'scores.csv'), 'utf8'), 't,detector,score,threshold,alarm\n1,d,NaN,3,true\n2,d,1.5,NaN,true\n');
    // A scores.csv written by an older replay, with an infinity in it.
    writeFileSync(join(dir, 'replay', 'scores.csv'), 't,detector,score,threshold,alarm\n1,d,Infinity,3,true\n2,d,1.5,-Infinity,true\n');
    const result = await exportRun({ runDir: dir });
    assert.equal(readFileSync(result.scores!.path, 'utf8'), 'run,variant,t,detector,score,threshold,alarm,training,attack,grace\nr,,1,d,,3,true,false,false,false\nr,,2,d,1.5,,true,false,false,false\n');
  } finally {
    tmp.remove();
  }
});
