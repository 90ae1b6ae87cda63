// A parser of the Prometheus text exposition format (version 0.0.4), written for sidecar
// scrapes: it runs on every sidecar every interval, so it scans characters instead of
// using regular expressions, and it keeps every sample with its own label set (libraries
// that fold a histogram's label sets into one entry lose Istio's per-edge series).

import { ExpositionParseError } from './ExpositionParseError.ts';
import { isBlank, scanName, skipBlanks, tokenEnd } from './expositionScan.ts';
import { parseSampleLine, type SeenLabels } from './parseSampleLine.ts';

export type ExpositionType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** One sample line: the full sample name (e.g. `istio_request_bytes_sum`) and its labels. */
export interface ExpositionSample {
  readonly name: string;
  /** Label name → unescaped value (an object without prototype). */
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Milliseconds since the epoch, when the line carries a timestamp. */
  readonly timestampMillis?: number;
}

/** A metric family: the samples under one `# TYPE` (histogram: its _bucket, _sum and _count lines). */
export interface ExpositionFamily {
  readonly name: string;
  readonly type: ExpositionType;
  readonly help?: string;
  readonly samples: ExpositionSample[];
}

interface MutableFamily {
  name: string;
  type: ExpositionType;
  help?: string;
  typed: boolean;
  samples: ExpositionSample[];
}

const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'unknown']);

export interface ParseOptions {
  /**
   * Samples to return, by full sample name (default: all). The others are still checked
   * (name, label-set bounds, value, timestamp, family) but their labels are skipped over:
   * a sidecar's histogram buckets are most of its text and rarely needed.
   */
  readonly keep?: (sampleName: string) => boolean;
}

/** Parse a whole exposition; throws ExpositionParseError naming the first bad line. */
export function parseExposition(text: string, options: ParseOptions = {}): ExpositionFamily[] {
  const keep = options.keep;
  const families = new Map<string, MutableFamily>();
  const order: MutableFamily[] = [];
  let current: MutableFamily | undefined;
  const seen: SeenLabels = { sampleName: '', names: [], values: [] };
  let lineNo = 0;
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo += 1;
    let last = end;
    if (last > start && text.charCodeAt(last - 1) === 13) last -= 1; // tolerate CRLF
    const line = text.slice(start, last);
    start = end + 1;
    const i = skipBlanks(line, 0);
    if (i === line.length) continue;
    if (line.charCodeAt(i) === 35 /* # */) {
      current = metaLine(line, i + 1, lineNo, families, order) ?? current;
      continue;
    }
    const sample = parseSampleLine(line, i, lineNo, seen, keep);
    const name = seen.sampleName;
    const family = familyOf(name, current, families, order);
    if (!family) throw new ExpositionParseError(lineNo, `sample ${name} does not fit the # TYPE of its family`, line);
    if (sample) family.samples.push(sample);
    current = family;
  }
  return order.map(({ typed: _typed, ...family }) => family);
}

/** The family a sample belongs to (created untyped when none), or undefined on a name clash. */
function familyOf(sampleName: string, current: MutableFamily | undefined, families: Map<string, MutableFamily>, order: MutableFamily[]): MutableFamily | undefined {
  if (current && belongs(current, sampleName)) return current;
  const exact = families.get(sampleName);
  if (exact) return belongs(exact, sampleName) ? exact : undefined;
  const cut = sampleName.lastIndexOf('_');
  if (cut > 0) {
    const base = families.get(sampleName.slice(0, cut));
    if (base && belongs(base, sampleName)) return base;
  }
  const created: MutableFamily = { name: sampleName, type: 'untyped', typed: false, samples: [] };
  families.set(sampleName, created);
  order.push(created);
  return created;
}

function belongs(family: MutableFamily, sampleName: string): boolean {
  if (sampleName === family.name) return family.type !== 'histogram';
  if (family.type !== 'histogram' && family.type !== 'summary') return false;
  if (!sampleName.startsWith(family.name) || sampleName.charCodeAt(family.name.length) !== 95 /* _ */) return false;
  const suffix = sampleName.slice(family.name.length + 1);
  return suffix === 'sum' || suffix === 'count' || (suffix === 'bucket' && family.type === 'histogram');
}

/** `# HELP name text` / `# TYPE name type`; other comments are ignored. */
function metaLine(line: string, from: number, lineNo: number, families: Map<string, MutableFamily>, order: MutableFamily[]): MutableFamily | undefined {
  let i = skipBlanks(line, from);
  const keywordEnd = tokenEnd(line, i);
  const keyword = line.slice(i, keywordEnd);
  if (keyword !== 'HELP' && keyword !== 'TYPE') return undefined;
  i = skipBlanks(line, keywordEnd);
  const nameEnd = scanName(line, i, true);
  if (nameEnd === i || (nameEnd < line.length && !isBlank(line.charCodeAt(nameEnd)))) {
    throw new ExpositionParseError(lineNo, `# ${keyword} needs a valid metric name`, line);
  }
  const name = line.slice(i, nameEnd);
  let family = families.get(name);
  if (!family) {
    family = { name, type: 'untyped', typed: false, samples: [] };
    families.set(name, family);
    order.push(family);
  }
  const rest = line.slice(skipBlanks(line, nameEnd));
  if (keyword === 'HELP') {
    family.help = rest.includes('\\') ? unescapeHelp(rest) : rest;
    return family;
  }
  const type = rest.trimEnd();
  if (!TYPES.has(type)) throw new ExpositionParseError(lineNo, `unknown metric type "${type}"`, line);
  if (family.typed) throw new ExpositionParseError(lineNo, `second # TYPE line for ${name}`, line);
  if (family.samples.length > 0) throw new ExpositionParseError(lineNo, `# TYPE for ${name} after its samples`, line);
  family.type = type === 'unknown' ? 'untyped' : (type as ExpositionType);
  family.typed = true;
  return family;
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}
