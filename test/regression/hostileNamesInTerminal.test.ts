// Bug: node, edge and run names reached the terminal unfiltered. A workload named
// "user\nalert +1 s  ewma: FAKE ALERT …" printed fake alert lines (formatAlert, used by a paced
// replay and live by `npm run experiment`), a name holding ESC[2J cleared the operator's screen,
// and a folder replay printed run folder names raw in its progress. Names are now printed
// through one function (terminalText) that shows every C0, DEL and C1 character as a visible
// escape (\n, \x1b, \x9b), and the default log sink and the CLI's error line escape every
// control character but the message's own line breaks.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { formatSummaryTable, type ReplaySummary } from '../../src/evaluation/index.ts';
import type { RunsComparison } from '../../src/evaluation/compareRuns.ts';
import { formatRunsComparison } from '../../src/evaluation/formatRunsComparison.ts';
import { ProgressLine } from '../../src/experiment/ProgressLine.ts';
import { formatAlert, replayFolder, writeSyntheticRun } from '../../src/replay/index.ts';
import { terminalMessage, terminalText } from '../../src/terminalText.ts';
import type { Verdict } from '../../src/types.ts';
import { unknownMetricWarnings } from '../../src/import/index.ts';
import { readSnapshots } from '../../src/store/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FORGED = 'user\nalert +1 s  ewma: FAKE ALERT  blamed: a → b';
const CLEARS = 'user-db\u001b[2J\u001b[31mRED';
/** Any character a terminal acts on rather than shows. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const tmp = makeTempDir('munnin-hostile-terminal-');
after(() => tmp.remove());

describe('names printed on a terminal', () => {
  it('terminalText shows C0, DEL and C1 characters as escapes and leaves other text alone', () => {
    assert.equal(terminalText('a\nb\r\tc\u0000d\u001be\u007ff\u009bg\u0085h'), 'a\\nb\\r\\tc\\x00d\\x1be\\x7ff\\x9bg\\x85h');
    assert.equal(terminalText('front-end → exe.png é ß'), 'front-end → exe.png é ß');
    assert.equal(terminalMessage('line 1\nline 2\u001b[2J\r'), 'line 1\nline 2\\x1b[2J\\r');
  });

  it('an alert line blaming hostile names stays one line, with the escapes visible', () => {
    const verdict: Verdict = {
      t: 1001, dt: 1, detector: 'ewma', score: 5, threshold: 1, alarm: true, training: false, gap: false,
      blamed: [{ src: CLEARS, dst: FORGED, score: 5 }, { src: FORGED, dst: 'b\u009b2J' }],
    } as Verdict;
    const line = formatAlert(verdict, 1000);
    assert.doesNotMatch(line, CONTROL);
    assert.equal(line, 'alert +1 s  ewma: score 5.00 > 1.00  blamed: user-db\\x1b[2J\\x1b[31mRED → user\\nalert +1 s  ewma: FAKE ALERT  blamed: a → b, user\\nalert +1 s  ewma: FAKE ALERT  blamed: a → b → b\\x9b2J');
  });

  it('the summary table\'s title escapes the run name', () => {
    const summary = { run: `evil${FORGED}`, intervals: 0, scoredIntervals: 0, attackIntervals: 0, graceIntervals: 0, gapIntervals: 0, trainingIntervals: 0, attacks: [], detectors: {} } as ReplaySummary;
    const title = formatSummaryTable(summary).split('\n')[0]!;
    assert.ok(title.startsWith('run eviluser\\nalert +1 s  ewma: FAKE ALERT'), title);
  });

  it('the experiment\'s progress escapes a lateral movement\'s path', () => {
    const log = captureLog();
    try {
      const progress = new ProgressLine(true, 60, 0);
      progress.attackDone({ kind: 'lateral-movement', start: 1, end: 2, path: [FORGED, CLEARS], attempts: 1, answered: 1 } as never);
    } finally {
      log.restore();
    }
    assert.equal(log.messages.length, 1);
    assert.doesNotMatch(log.messages[0]!.message, CONTROL);
  });

  it('a folder replay\'s progress escapes run folder names', async () => {
    const folder = join(tmp.dir, 'runs');
    writeSyntheticRun(join(folder, `evil\nalert +1 s  FAKE`), { services: 4, edgesPerService: 2, intervals: 40, exfiltrations: 0, seed: 1 });
    const detectors = resolveParameters({ detectors: { trainingSeconds: 50, enabled: ['ewma'] } }).detectors;
    const log = captureLog();
    try {
      await replayFolder(folder, { detectors, progress: true });
    } finally {
      log.restore();
    }
    const replaying = log.messages.filter((m) => m.message.startsWith('replaying'));
    assert.deepEqual(replaying.map((m) => m.message), ['replaying 1/1: evil\\nalert +1 s  FAKE']);
  });

  it('the default log sink and the error line let no control character but a line break through', () => {
    const script = [
      `import { log } from ${JSON.stringify(join(ROOT, 'src', 'logger.ts'))};`,
      `import { runCli } from ${JSON.stringify(join(ROOT, 'src', 'cli', 'runCli.ts'))};`,
      `import { UserError } from ${JSON.stringify(join(ROOT, 'src', 'errors.ts'))};`,
      `log.warn('a \\u001b[2J b\\u009b c\\r d\\nsecond line');`,
      `runCli(async () => { throw new UserError('bad name \\u001b[31mred'); });`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.stderr, 'warn: a \\x1b[2J b\\x9b c\\r d\nsecond line\nerror: bad name \\x1b[31mred\n');
    assert.equal(r.status, 2);
  });

  // Bug: the reader's new warnings put keys and metric names from the run's own files into the
  // message raw ("edges: <key> (7) is not among run.json's metrics (<metrics>)", "edges[0].<metric>:
  // expected …"), and the folder comparison table printed detector names raw, so a key holding
  // a newline printed a standalone fake `alert` line on stderr. Every name is now escaped.
  it('the reader\'s warnings escape an edge key and run.json\'s metric names', async () => {
    const dir = writeRunFiles(join(tmp.dir, 'keys'), {
      manifest: { format: 'munnin-run/1', intervalSeconds: 5, metrics: ['requests', FORGED] },
      snapshots:
        `{"t":1700000005,"dt":5,"edges":[{"src":"a","dst":"b","requests":1,${JSON.stringify(`x${FORGED}`)}:7}]}\n` +
        `{"t":1700000010,"dt":5,"edges":[{"src":"a","dst":"b","requests":1,${JSON.stringify(FORGED)}:-2}]}\n`,
    });
    const log = captureLog();
    try {
      for await (const _ of readSnapshots(dir, ['requests', FORGED])) void _;
    } finally {
      log.restore();
    }
    const warnings = log.messages.map((m) => m.message.replaceAll(`${dir}/`, ''));
    assert.deepEqual(warnings, [
      "snapshots.ndjson:1: edges: xuser\\nalert +1 s  ewma: FAKE ALERT  blamed: a → b (7) is not among run.json's metrics (requests, user\\nalert +1 s  ewma: FAKE ALERT  blamed: a → b), so it is ignored (a writer must list every metric key it writes; said for the first such line only)",
      'snapshots.ndjson:2: edges[0].user\\nalert +1 s  ewma: FAKE ALERT  blamed: a → b: expected a non-negative number (got -2); interval kept as a gap',
    ]);
  });

  it('the folder comparison table escapes detector names', () => {
    const figures = { runs: 1, events: 0, caught: 0, tpr: null, benignIntervals: 1, falseAlarms: 0, fpr: 0, attackIntervals: 0, auc: null, atRate: { fpr: 0.01, threshold: null, tpr: null, achievedFpr: null } };
    const c: RunsComparison = { detectors: [FORGED], falseAlarmRate: 0.01, pooled: { [FORGED]: figures }, byBytes: [], byBytesLeftOut: {} };
    const lines = formatRunsComparison(c, 1).split('\n');
    assert.ok(!lines.some((l) => l.startsWith('alert')), lines.join('\n'));
    assert.ok(lines[2]!.startsWith('user\\nalert +1 s  ewma: FAKE ALERT  blamed: a → b  '), lines[2]);
  });

  it('a folder replay escapes the name of a run it could not replay', async () => {
    const folder = join(tmp.dir, 'broken');
    writeSyntheticRun(join(folder, 'good'), { services: 4, edgesPerService: 2, intervals: 40, exfiltrations: 0, seed: 1 });
    mkdirSync(join(folder, `evil\nalert +1 s  FAKE`));
    writeFileSync(join(folder, `evil\nalert +1 s  FAKE`, 'run.json'), '{}');
    const detectors = resolveParameters({ detectors: { trainingSeconds: 50, enabled: ['ewma'] } }).detectors;
    const log = captureLog();
    try {
      await replayFolder(folder, { detectors });
    } finally {
      log.restore();
    }
    const failed = log.messages.filter((m) => m.message.includes('not replayed'));
    assert.equal(failed.length, 1);
    assert.ok(failed[0]!.message.startsWith('evil\\nalert +1 s  FAKE: not replayed: '), failed[0]!.message);
  });

  // Bug: terminalText left Unicode bidirectional controls as they were (a test asserted that
  // `ext\u202egnp.exe` passed unchanged), while the report and dashboard write them out: on a
  // terminal that lays text out both ways, `blamed: ext<RLO>gnp.exe → front-end` showed
  // reversed, the spoofed edge the report's fix was for. They are now written out (\u202E) on
  // the terminal too, in names and in every message line.
  it('bidirectional controls in a name are written out, in names and in whole messages', () => {
    assert.equal(terminalText('ext\u202egnp.exe \u2066x\u2069 \u200e\u200f\u061c'), 'ext\\u202Egnp.exe \\u2066x\\u2069 \\u200E\\u200F\\u061C');
    assert.equal(terminalMessage('a\u202eb\nc'), 'a\\u202Eb\nc');
    const verdict = { t: 1001, dt: 1, detector: 'ewma', score: 5, threshold: 1, alarm: true, training: false, gap: false, blamed: [{ src: 'ext\u202egnp.exe', dst: 'front-end', score: 5 }] } as Verdict;
    assert.equal(formatAlert(verdict, 1000), 'alert +1 s  ewma: score 5.00 > 1.00  blamed: ext\\u202Egnp.exe → front-end');
  });

  it('an unknown metric\'s warning escapes its name', () => {
    assert.deepEqual(unknownMetricWarnings([{ metric: FORGED, at: 'traffic.csv:2' }]).map((w) => w.split(' (')[0]), ['traffic.csv:2: user\\nalert +1 s  ewma: FAKE ALERT  blamed: a → b: not a metric munnin knows']);
  });
});
