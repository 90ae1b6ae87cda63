import { CAVEAT_MARK, csvField, pooledPromiseLine, promiseHeading, PROMISE_SIGNIFICANCE } from '../evaluation/index.ts';
import { terminalText } from '../terminalText.ts';
import { COMPARED_METRICS, type ComparisonRow } from './compareSummaries.ts';
import type { Stat } from './meanStd.ts';

/** Column of the injected rate in the comparison. */
export const INJECT_COLUMN = 'inject_bytes_per_interval';

/** An axis value in a cell: strings as they are, anything else as JSON. */
export function cellValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}

const csvNumber = (x: number | null) => (x === null ? '' : String(x));

/**
 * comparison.csv: `detector`, one column per axis, `inject_bytes_per_interval` (when rates are
 * swept), `runs`, then `<metric>_mean`, `<metric>_std`, `<metric>_n` for tpr, fpr, f1 and auc,
 * then `uncalibrated_runs` (ComparisonRow.uncalibratedRuns), then the pooled false-alarm
 * promise (ComparisonRow.promise): `false_alarm_episodes`, `judged_benign_intervals`, `promise_p`.
 * Numbers at full precision; an empty cell is an undefined value (no run had it; std with n < 2),
 * or, in an axis column, an axis that does not change the row's detector.
 */
export function comparisonCsv(rows: readonly ComparisonRow[], axisNames: readonly string[], withInject: boolean): string {
  const header = ['detector', ...axisNames, ...(withInject ? [INJECT_COLUMN] : []), 'runs', ...COMPARED_METRICS.flatMap((m) => [`${m}_mean`, `${m}_std`, `${m}_n`]), 'uncalibrated_runs', 'false_alarm_episodes', 'judged_benign_intervals', 'promise_p'];
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) {
    const cells = [
      r.detector,
      ...axisNames.map((a) => cellValue(r.axisValues[a])),
      ...(withInject ? [csvNumber(r.injectBytesPerInterval)] : []),
      String(r.runs),
      ...COMPARED_METRICS.flatMap((m) => [csvNumber(r[m].mean), csvNumber(r[m].std), String(r[m].n)]),
      String(r.uncalibratedRuns),
      r.promise === undefined ? '' : String(r.promise.episodes),
      r.promise === undefined ? '' : String(r.promise.judgedIntervals),
      r.promise === undefined ? '' : String(r.promise.p),
    ];
    lines.push(cells.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** `0.812 ± 0.034`, `0.812` alone with one value, `-` with none; `[2]` when fewer values than runs. */
export function formatStat(s: Stat, runs: number): string {
  if (s.mean === null) return '-';
  const text = s.std === null ? s.mean.toFixed(3) : `${s.mean.toFixed(3)} ± ${s.std.toFixed(3)}`;
  return s.n < runs ? `${text} [${s.n}]` : text;
}

/** The comparison as an aligned text table (text left, numbers right), with a line explaining the cells; detectors with uncalibratedRuns marked. */
export function formatComparisonTable(rows: readonly ComparisonRow[], axisNames: readonly string[], withInject: boolean): string {
  const header = ['detector', ...axisNames, ...(withInject ? ['inject B/interval'] : []), 'runs', 'TPR', 'FPR', 'F1', 'AUC'];
  const body = rows.map((r) => [
    r.uncalibratedRuns > 0 ? `${r.detector} ${CAVEAT_MARK}` : r.detector,
    ...axisNames.map((a) => (a in r.axisValues ? cellValue(r.axisValues[a]) : 'any')),
    ...(withInject ? [r.injectBytesPerInterval === null ? '-' : String(r.injectBytesPerInterval)] : []),
    String(r.runs),
    ...COMPARED_METRICS.map((m) => formatStat(r[m], r.runs)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const numeric = header.map((_, i) => i > 0 && body.every((cells) => cells[i] === '-' || cells[i] === 'any' || /^[-0-9.]/.test(cells[i]!)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const anyNote = rows.some((r) => axisNames.some((a) => !(a in r.axisValues))) ? '; any: the axis does not change this detector (listed once)' : '';
  const note = `mean ± sample standard deviation (n − 1) over repeats; [k]: only k runs defined the value; -: none did${anyNote}`;
  const marked = rows.some((r) => r.uncalibratedRuns > 0)
    ? [`${CAVEAT_MARK} in some runs the detector had no threshold on every scored interval (never judged: its FPR 0 there says nothing) or on attack intervals (no alarm possible there, counted as missed): see the replays' warnings, comparison.csv uncalibrated_runs`]
    : [];
  return [line(header), ...body.map(line), '', note, ...marked, ...promiseLines(rows, axisNames)].join('\n') + '\n';
}

/** The rows whose false alarms broke the rate their thresholds were calibrated to, over their runs (ComparisonRow.promise). */
function promiseLines(rows: readonly ComparisonRow[], axisNames: readonly string[]): string[] {
  const broken = rows.filter((r) => r.promise !== undefined && r.promise.p < PROMISE_SIGNIFICANCE);
  if (broken.length === 0) return [];
  return [
    '',
    promiseHeading(", over each row's runs"),
    ...broken.map((r) => {
      const values = [...axisNames.filter((a) => a in r.axisValues).map((a) => `${a}=${cellValue(r.axisValues[a])}`), ...(r.injectBytesPerInterval === null ? [] : [`inject ${r.injectBytesPerInterval} B/interval`])];
      return pooledPromiseLine(`${terminalText(r.detector)}${values.length === 0 ? '' : ` (${terminalText(values.join(', '))})`}`, r.promise!);
    }),
  ];
}
