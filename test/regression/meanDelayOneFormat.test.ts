import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatSummaryTable, type DetectorSummary, type ReplaySummary } from '../../src/evaluation/index.ts';
import { seconds } from '../../src/report/html/format.ts';

// Bug: the same mean delay read differently in different places: the dashboard's summary
// table printed 5.0035 s as "5 s" (formatSeconds drops a trailing .0) where the terminal and
// report.html print "5.0 s"; and the report rounded half up (Math.round) where the terminal
// used toFixed, so 1.45 (in binary 1.4499999999999999556) was "1.5 s" in one, "1.4 s" in the
// other. All three now print toFixed(1).
const WEB_FORMAT = join(import.meta.dirname, '..', '..', 'src', 'dashboard', 'web', 'format.js');

function terminal(delay: number): string {
  const d: DetectorSummary = {
    tp: 1, fp: 0, tn: 1, fn: 0, tpr: 1, fpr: 0, fnr: 0, precision: 1, f1: 1, auc: 1,
    events: { detected: 1, total: 1, meanDelaySeconds: delay, outcomes: [{ attack: 0, scored: true, detected: true, delaySeconds: delay }] },
    blame: { alarms: 0, onPath: 0 },
    operatingPoints: [],
  };
  const summary: ReplaySummary = { run: 'r', intervals: 2, scoredIntervals: 2, attackIntervals: 1, graceIntervals: 0, gapIntervals: 0, trainingIntervals: 0, attacks: [{ kind: 'exfiltration', start: 0, end: 1 }], detectors: { d } };
  const row = formatSummaryTable(summary).split('\n').find((l) => l.startsWith('d '))!;
  return /(\d+\.\d) s/.exec(row)![0];
}

it('prints a mean delay the same way in the terminal, the report and the dashboard', async () => {
  const { formatDelay } = (await import(pathToFileURL(WEB_FORMAT).href)) as { formatDelay?: (s: unknown) => string };
  assert.equal(typeof formatDelay, 'function', 'the dashboard has a delay format of its own');
  // Expected: one decimal of the number's exact binary value.
  for (const [delay, text] of [[5.0035, '5.0 s'], [6.0046, '6.0 s'], [6.671666701634725, '6.7 s'], [1.45, '1.4 s'], [125.34, '125.3 s']] as const) {
    assert.deepEqual([terminal(delay), seconds(delay), formatDelay!(delay)], [text, text, text], String(delay));
  }
  assert.equal(formatDelay!(null), '–');
});
