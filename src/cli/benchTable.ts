import type { BenchReport } from './benchMeasure.ts';

/** One size's measurement. */
export interface BenchRow extends BenchReport {
  readonly services: number;
  readonly edges: number;
  readonly intervals: number;
}

/** The human table: rates, their ratio, and memory (peak, and a quarter of the way in vs the end). */
export function benchTable(rows: readonly BenchRow[]): string {
  const header = ['services', 'edges', 'intervals', 'parse/s', 'replay/s', 'replay÷parse', 'peak RSS MB', 'parse peak MB', 'RSS ¼→end MB'];
  const body = rows.map((r) => [
    String(r.services),
    String(r.edges),
    String(r.intervals),
    r.parseIntervalsPerSecond.toFixed(0),
    r.replayIntervalsPerSecond.toFixed(0),
    `${((100 * r.replayIntervalsPerSecond) / r.parseIntervalsPerSecond).toFixed(0)} %`,
    r.peakRssMegabytes.toFixed(0),
    r.parsePeakRssMegabytes.toFixed(0),
    `${r.rssQuarterMegabytes.toFixed(0)}→${r.rssEndMegabytes.toFixed(0)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), ...body.map(line)].join('\n') + '\n';
}

