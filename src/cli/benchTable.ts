import type { BenchReport } from './benchMeasure.ts';
import type { StartupCost } from './benchProcess.ts';

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
  const alone = Object.keys(rows[0]?.detectorIntervalsPerSecond ?? {});
  const header = ['services', 'edges', 'intervals', 'parse/s', 'replay/s', 'replay÷parse', 'full/s', 'full÷parse', 'replay/CPU s', 'full/CPU s', 'cold parse/s', 'cold replay/s', 'cold ÷', 'rounds', 'peak RSS MB', 'parse peak MB', 'RSS ¼→end MB'];
  for (const name of alone) header.push(`${name} alone/s`, `${name} µs/interval`);
  const body = rows.map((r) => [
    String(r.services),
    String(r.edges),
    String(r.intervals),
    r.parseIntervalsPerSecond.toFixed(0),
    r.replayIntervalsPerSecond.toFixed(0),
    percent(r.replayIntervalsPerSecond, r.parseIntervalsPerSecond),
    r.fullReplayIntervalsPerSecond.toFixed(0),
    percent(r.fullReplayIntervalsPerSecond, r.parseIntervalsPerSecond),
    r.replayIntervalsPerCpuSecond.toFixed(0),
    r.fullReplayIntervalsPerCpuSecond.toFixed(0),
    r.coldParseIntervalsPerSecond.toFixed(0),
    r.coldReplayIntervalsPerSecond.toFixed(0),
    percent(r.coldReplayIntervalsPerSecond, r.coldParseIntervalsPerSecond),
    String(r.warmRounds),
    r.peakRssMegabytes.toFixed(0),
    r.parsePeakRssMegabytes.toFixed(0),
    `${r.rssQuarterMegabytes.toFixed(0)}→${r.rssEndMegabytes.toFixed(0)}`,
    // A detector alone with parsing, and what it adds to parsing per interval.
    ...alone.flatMap((name) => {
      const rate = r.detectorIntervalsPerSecond[name]!;
      return [rate.toFixed(0), (1e6 * (1 / rate - 1 / r.parseIntervalsPerSecond)).toFixed(0)];
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), ...body.map(line)].join('\n') + '\n';
}

/** One whole-process replay measurement (a size, or the connection-log run). */
/** A whole-process replay measured over some rounds. */
export interface WholeProcess {
  readonly rounds: number;
  /** Median wall seconds from spawn to exit. */
  readonly seconds: number;
  /** Median CPU seconds (user + system). */
  readonly cpuSeconds: number;
  /** The largest peak RSS over the rounds. */
  readonly peakRssMegabytes: number;
  /** RSS a quarter of the way through the process's life (by time) and at its exit. */
  readonly rssQuarterMegabytes?: number;
  readonly rssEndMegabytes?: number;
  /** The detectors replayed, when not all (`--process-detectors`, `--connection-log-detectors`). */
  readonly detectors?: readonly string[];
  /** Threads of the replay (`--threads`), when not one. */
  readonly threads?: number;
}

/** One row of the whole-process table: what was replayed, and how it went. */
export interface ProcessRow extends WholeProcess {
  readonly label: string;
  readonly edges: number | undefined;
  readonly intervals: number;
}

/** Whole processes: wall time, the rate it makes, and memory (peak; a quarter of the way through vs at exit). */
export function processTable(rows: readonly ProcessRow[]): string {
  return table(
    ['run', 'edges', 'intervals', 'rounds', 'wall s', 'intervals/s', 'CPU s', 'intervals/CPU s', 'peak RSS MB', 'RSS ¼→end MB'],
    rows.map((r) => [
      r.label,
      r.edges === undefined ? '-' : String(r.edges),
      String(r.intervals),
      String(r.rounds),
      r.seconds.toFixed(2),
      (r.intervals / r.seconds).toFixed(0),
      r.cpuSeconds.toFixed(2),
      (r.intervals / r.cpuSeconds).toFixed(0),
      r.peakRssMegabytes.toFixed(0),
      r.rssEndMegabytes === undefined ? '-' : `${r.rssQuarterMegabytes!.toFixed(0)}→${r.rssEndMegabytes.toFixed(0)}`,
    ]),
  );
}

/** `--help` against doing nothing, through npm and directly, and the difference (the target is about npm's). */
export function startupTable(s: StartupCost): string {
  const rows: string[][] = [['node -e ""', s.nodeNothingSeconds.toFixed(3), '', s.nodeNothingCpuSeconds.toFixed(3), '']];
  for (const [c, t] of Object.entries(s.nodeHelpSeconds)) {
    const cpu = s.nodeHelpCpuSeconds[c]!;
    rows.push([`node ${c} --help`, t.toFixed(3), `+${(t - s.nodeNothingSeconds).toFixed(3)}`, cpu.toFixed(3), `+${(cpu - s.nodeNothingCpuSeconds).toFixed(3)}`]);
  }
  if (s.npmNothingSeconds !== undefined) {
    rows.push(['npm run (a script doing nothing)', s.npmNothingSeconds.toFixed(3), '', '', '']);
    for (const [c, t] of Object.entries(s.npmHelpSeconds)) rows.push([`npm run ${c} -- --help`, t.toFixed(3), `+${(t - s.npmNothingSeconds).toFixed(3)}`, '', '']);
  } else rows.push(['npm', 'not found', '', '', '']);
  return table(['command', 'wall s', 'more than nothing', 'CPU s', 'more than nothing'], rows);
}

function table(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...body.map(line)].join('\n') + '\n';
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(0)} %`;
}
