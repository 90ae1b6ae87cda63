import { readLines } from '../store/index.ts';
import { csvFields, decimalNumber } from './csvFields.ts';

/** One row of intervals.csv. */
export interface IntervalRow {
  readonly t: number;
  readonly dt: number;
  readonly gap: boolean;
  readonly attack: boolean;
  /** Its line in the file. */
  readonly line: number;
}

/** intervals.csv read: its good rows, every problem, and the `t` of the bad rows whose `t` was readable. */
export interface IntervalsCsv {
  readonly rows: IntervalRow[];
  readonly problems: string[];
  /** Whether the header named the columns (without it no row was read, and nothing can be checked against them). */
  readonly header: boolean;
  readonly badRowTimes: ReadonlySet<number>;
}

/**
 * intervals.csv as `npm run export` writes it (t,dt,gap[,attack]): every interval of the run,
 * gaps included, in time order. Read whole (one small row per interval); every bad row is
 * reported with its line number.
 */
export async function readIntervalsCsv(file: string): Promise<IntervalsCsv> {
  const rows: IntervalRow[] = [];
  const problems: string[] = [];
  const badRowTimes = new Set<number>();
  let columns: { t: number; dt: number; gap: number; attack: number } | undefined;
  for await (const line of readLines(file)) {
    if (line.text.trim() === '') continue;
    const at = `${file}:${line.number}`;
    const fields = csvFields(line.text);
    if (typeof fields === 'string') {
      problems.push(`${at}: ${fields}`);
      continue;
    }
    if (!columns) {
      const index = (name: string) => fields.findIndex((f) => f.trim() === name);
      columns = { t: index('t'), dt: index('dt'), gap: index('gap'), attack: index('attack') };
      if (columns.t < 0 || columns.dt < 0 || columns.gap < 0) {
        problems.push(`${at}: header must name the columns t,dt,gap (got ${JSON.stringify(line.text.slice(0, 80))})`);
        break;
      }
      continue;
    }
    const t = decimalNumber(fields[columns.t]);
    const dt = decimalNumber(fields[columns.dt]);
    const gapText = (fields[columns.gap] ?? '').trim().toLowerCase();
    const bad: string[] = [];
    if (!Number.isFinite(t)) bad.push(`t: expected Unix seconds (got ${JSON.stringify(fields[columns.t])})`);
    if (!(dt > 0) || !Number.isFinite(dt)) bad.push(`dt: expected a positive number of seconds (got ${JSON.stringify(fields[columns.dt])})`);
    if (gapText !== 'true' && gapText !== 'false') bad.push(`gap: expected true or false (got ${JSON.stringify(fields[columns.gap])})`);
    const previous = rows[rows.length - 1];
    if (bad.length === 0 && previous && !(t > previous.t)) bad.push(`t: ${t} does not come after the previous interval's ${previous.t}`);
    if (bad.length > 0) {
      problems.push(`${at}: ${bad.join('; ')}`);
      if (Number.isFinite(t)) badRowTimes.add(t);
    } else rows.push({ t, dt, gap: gapText === 'true', attack: columns.attack >= 0 && (fields[columns.attack] ?? '').trim().toLowerCase() === 'true', line: line.number });
  }
  if (!columns) problems.push(`${file}: empty (expected the header t,dt,gap)`);
  const header = columns !== undefined && columns.t >= 0 && columns.dt >= 0 && columns.gap >= 0;
  return { rows, problems, header, badRowTimes };
}
