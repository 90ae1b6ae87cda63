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
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { formatSummaryTable, type ReplaySummary } from '../../src/evaluation/index.ts';
import { ProgressLine } from '../../src/experiment/ProgressLine.ts';
import { formatAlert, replayFolder, writeSyntheticRun } from '../../src/replay/index.ts';
import { terminalMessage, terminalText } from '../../src/terminalText.ts';
import type { Verdict } from '../../src/types.ts';
import { captureLog, makeTempDir } from '../util.ts';

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
    assert.equal(terminalText('front-end → ext\u202egnp.exe é ß'), 'front-end → ext\u202egnp.exe é ß');
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
});
