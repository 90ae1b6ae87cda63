import { runFigures, type PooledFigures, type ReplayedRun, type RunsComparison } from './compareRuns.ts';
import { csvField, spreadsheetText } from './outputFields.ts';
import { terminalText } from '../terminalText.ts';
import { CAVEAT_MARK } from './thresholdCaveat.ts';
import { pooledPromiseLine, promiseHeading, PROMISE_SIGNIFICANCE } from './falseAlarmPromise.ts';
import { wilsonInterval } from './binomial.ts';
import { figureText } from './figureText.ts';

/** What is pooled, said once in the printed table and in comparison.json. */
export const POOLING_NOTE =
  'TPR = attack events caught / attack events; FPR = false alarms / benign scored intervals (grace intervals left out); ' +
  "both summed over runs. AUC and TPR@rate: one ROC over every run's scored intervals, each scored as score ÷ threshold " +
  '(1 + score − threshold where the threshold is ≤ 0; no threshold yet: ranked lowest), since each run is calibrated to its own scale; ' +
  'TPR@rate is the share of attack intervals above the pooled benign intervals\' (1 − rate) point.';


/** An aligned text table: first column left, the rest right. */
function align(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

/** An attack kind in words, `n` of them: `scan` → scans, `lateral` → lateral movements. */
function kindWords(kind: string, n: number): string {
  const word = kind === 'lateral' ? 'lateral movement' : terminalText(kind);
  return n === 1 ? word : `${word}s`;
}

/** The pooled table, then (when sizes differ) TPR / FPR by exfiltrated bytes, one column per detector. */
export function formatRunsComparison(c: RunsComparison, runs: number): string {
  const rate = c.falseAlarmRate;
  const pooled = align(
    ['detector', 'runs', 'caught/events', 'TPR', 'false alarms/benign', 'FPR', 'AUC', `TPR@${rate}`, 'achieved FPR'],
    c.detectors.map((d) => {
      const p = c.pooled[d]!;
      const marked = (c.uncalibratedRuns?.[d] ?? 0) > 0 ? ` ${CAVEAT_MARK}` : '';
      return [`${terminalText(d)}${marked}`, String(p.runs), `${p.caught}/${p.events}`, figureText(p.tpr), `${p.falseAlarms}/${p.benignIntervals}`, figureText(p.fpr), figureText(p.auc), figureText(p.atRate.tpr), figureText(p.atRate.achievedFpr)];
    }),
  );
  const parts = [`pooled over ${runs} run(s)`, pooled];
  const marked = c.detectors.filter((d) => (c.uncalibratedRuns?.[d] ?? 0) > 0);
  if (marked.length > 0) {
    const counts = marked.map((d) => `${terminalText(d)} in ${c.uncalibratedRuns![d]}`).join(', ');
    parts.push(`${CAVEAT_MARK} no threshold on every scored interval of a run (never judged: its FPR 0 there says nothing) or on attack intervals (no alarm possible there, counted as missed): ${counts} of the runs (see their warnings and summary.json uncalibratedIntervals)`);
  }
  const broken = c.detectors.filter((d) => (c.pooled[d]!.promise?.p ?? 1) < PROMISE_SIGNIFICANCE);
  if (broken.length > 0) {
    parts.push('', promiseHeading(', over the runs', "; injected copies left out: their benign traffic is another run's"));
    for (const d of broken) parts.push(pooledPromiseLine(terminalText(d), c.pooled[d]!.promise!));
  }
  if (c.byBytes.length > 0) {
    const table = align(
      ['bytes', 'runs', 'events', ...c.detectors.map(terminalText)],
      c.byBytes.map((row) => {
        const events = c.detectors.map((d) => row.detectors[d]!.events).reduce((a, b) => Math.max(a, b), 0);
        return [row.label, String(row.runs.length), String(events), ...c.detectors.map((d) => `${figureText(row.detectors[d]!.tpr, 2)} / ${figureText(row.detectors[d]!.fpr)}`)];
      }),
    );
    parts.push('', 'by exfiltrated bytes (events\' requestedBytes when they carry it, else bytes): TPR / FPR per detector; a row\'s FPR is over the runs with attacks of that size, benign: runs without attacks', table);
    const leftOut = Object.entries(c.byBytesLeftOut).map(([kind, n]) => `${n} ${kindWords(kind, n)}`);
    if (leftOut.length > 0) parts.push(`not in this table, which is for exfiltrations (the pooled table counts them): ${leftOut.join(', ')}`);
  }
  parts.push('', POOLING_NOTE);
  return `${parts.join('\n')}\n`;
}

export const RUNS_CSV_COLUMNS = [
  'scope', 'bytes', 'run', 'detector', 'runs', 'events', 'caught', 'tpr', 'benign_intervals', 'false_alarms', 'fpr',
  'attack_intervals', 'auc', 'rate', 'tpr_at_rate', 'threshold_at_rate', 'achieved_fpr',
  'tpr_low', 'tpr_high', 'fpr_low', 'fpr_high',
] as const;

const csvNumber = (x: number | null) => (x === null || !Number.isFinite(x) ? '' : String(x));

function figureCells(p: PooledFigures): string[] {
  // Wilson 95 % intervals of caught/events and falseAlarms/benignIntervals (empty without trials), for error bars.
  const tpr = wilsonInterval(p.caught, p.events);
  const fpr = wilsonInterval(p.falseAlarms, p.benignIntervals);
  return [String(p.runs), String(p.events), String(p.caught), csvNumber(p.tpr), String(p.benignIntervals), String(p.falseAlarms), csvNumber(p.fpr),
    String(p.attackIntervals), csvNumber(p.auc), String(p.atRate.fpr), csvNumber(p.atRate.tpr), csvNumber(p.atRate.threshold), csvNumber(p.atRate.achievedFpr),
    csvNumber(tpr?.[0] ?? null), csvNumber(tpr?.[1] ?? null), csvNumber(fpr?.[0] ?? null), csvNumber(fpr?.[1] ?? null)];
}

/**
 * comparison.csv, long form: `scope` pooled (every run), bytes (one size: `bytes` is the
 * events' size, attackSize, empty for the row of runs without attacks, `label` in `run`), run (one run,
 * named in `run`: its auc and rate columns on its raw scores, equal to its summary.json's);
 * then the figures (numbers at full precision, empty when undefined), last the Wilson 95 %
 * intervals of tpr and fpr (binomial.ts: each event and benign interval an independent trial). Run
 * and detector names are names anyone may choose: those cells are neutralised against
 * spreadsheet formulas and quoted as CSV needs.
 */
export function runsComparisonCsv(c: RunsComparison, runs: readonly ReplayedRun[]): string {
  const lines = [RUNS_CSV_COLUMNS.join(',')];
  const row = (scope: string, bytes: string, run: string, detector: string, p: PooledFigures) =>
    lines.push([...[scope, bytes, run, detector].map((text) => csvField(spreadsheetText(text))), ...figureCells(p)].join(','));
  for (const d of c.detectors) row('pooled', '', '', d, c.pooled[d]!);
  for (const r of c.byBytes) for (const d of c.detectors) row('bytes', r.bytes === null ? '' : String(r.bytes), r.bytes === null ? r.label : '', d, r.detectors[d]!);
  for (const run of runs) {
    const own = runFigures(run, c.falseAlarmRate);
    for (const d of Object.keys(own)) row('run', '', run.run, d, own[d]!);
  }
  return `${lines.join('\n')}\n`;
}
