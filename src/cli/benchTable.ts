import type { BenchReport } from './benchMeasure.ts';

/** One size's measurement. */
export interface BenchRow extends BenchReport {
  readonly services: number;
  readonly edges: number;
  readonly intervals: number;
}

/**
 * The human table: steady-state rates and their ratios to parsing (the target is about
 * `replay÷parse`), the first (cold) pass's, and memory (peak, and a quarter of the way into a
 * replay vs its end).
 */
export function benchTable(rows: readonly BenchRow[]): string {
  const header = ['services', 'edges', 'intervals', 'parse/s', 'replay/s', 'replay÷parse', 'full/s', 'full÷parse', 'cold parse/s', 'cold replay/s', 'cold ÷', 'rounds', 'peak RSS MB', 'parse peak MB', 'RSS ¼→end MB'];
  const body = rows.map((r) => [
    String(r.services),
    String(r.edges),
    String(r.intervals),
    r.parseIntervalsPerSecond.toFixed(0),
    r.replayIntervalsPerSecond.toFixed(0),
    percent(r.replayIntervalsPerSecond, r.parseIntervalsPerSecond),
    r.fullReplayIntervalsPerSecond.toFixed(0),
    percent(r.fullReplayIntervalsPerSecond, r.parseIntervalsPerSecond),
    r.coldParseIntervalsPerSecond.toFixed(0),
    r.coldReplayIntervalsPerSecond.toFixed(0),
    percent(r.coldReplayIntervalsPerSecond, r.coldParseIntervalsPerSecond),
    String(r.warmRounds),
    r.peakRssMegabytes.toFixed(0),
    r.parsePeakRssMegabytes.toFixed(0),
    `${r.rssQuarterMegabytes.toFixed(0)}→${r.rssEndMegabytes.toFixed(0)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), ...body.map(line)].join('\n') + '\n';
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(0)} %`;
}
