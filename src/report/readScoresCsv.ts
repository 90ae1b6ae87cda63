import { UserError } from '../errors.ts';
import { readText } from './readText.ts';

/** One row of replay/scores.csv: one detector's judgement of one scored interval. */
export interface ScoreRow {
  /** End of the interval, Unix seconds. */
  readonly t: number;
  readonly detector: string;
  /** NaN when the file left it empty. */
  readonly score: number;
  /** NaN when the file left it empty. */
  readonly threshold: number;
  readonly alarm: boolean;
}

const REQUIRED = ['t', 'detector', 'score', 'threshold', 'alarm'] as const;

/**
 * Split CSV text into records (RFC 4180: quoted fields may hold commas, quotes and newlines).
 * A quote inside an unquoted field is taken literally, as most writers mean it.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

function parseNumber(text: string): number {
  const s = text.trim();
  if (s === '' || s === 'NaN' || s === 'null') return Number.NaN;
  return Number(s);
}

function parseAlarm(text: string): boolean | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0' || s === '') return false;
  return undefined;
}

/** Read replay/scores.csv (`t,detector,score,threshold,alarm`; other columns are ignored). */
export async function readScoresCsv(path: string): Promise<ScoreRow[]> {
  const text = await readText(path);
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) return [];
  const names = header.fields.map((f) => f.trim());
  const col = Object.fromEntries(
    REQUIRED.map((name) => {
      const i = names.indexOf(name);
      if (i < 0) throw new UserError(`${path}:1: missing column "${name}" (header: ${names.join(',')})`);
      return [name, i];
    }),
  ) as Record<(typeof REQUIRED)[number], number>;
  const rows: ScoreRow[] = [];
  for (const [k, { line, fields }] of records.entries()) {
    const get = (name: (typeof REQUIRED)[number]) => fields[col[name]] ?? '';
    const t = parseNumber(get('t'));
    const alarm = parseAlarm(get('alarm'));
    const score = parseNumber(get('score'));
    const threshold = parseNumber(get('threshold'));
    const bad = !Number.isFinite(t) ? 't' : alarm === undefined ? 'alarm' : Number.isNaN(score) && get('score').trim() !== '' && get('score').trim() !== 'NaN' ? 'score' : undefined;
    if (bad) {
      // A replay killed mid-write leaves a partial last row: tolerated, like NDJSON's.
      if (k === records.length - 1 && !text.endsWith('\n')) break;
      throw new UserError(`${path}:${line}: bad ${bad} value ${JSON.stringify(get(bad))}`);
    }
    rows.push({ t, detector: get('detector'), score, threshold, alarm: alarm ?? false });
  }
  return rows;
}
