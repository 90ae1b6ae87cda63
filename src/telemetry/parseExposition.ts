// A parser of the Prometheus text exposition format (version 0.0.4), written for sidecar
// scrapes: it runs on every sidecar every interval, so it scans characters instead of
// using regular expressions, and it keeps every sample with its own label set (libraries
// that fold a histogram's label sets into one entry lose Istio's per-edge series).

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

/** Malformed exposition text; `line` is 1-based. */
export class ExpositionParseError extends Error {
  override readonly name = 'ExpositionParseError';
  constructor(
    readonly line: number,
    detail: string,
    text: string,
  ) {
    super(`line ${line}: ${detail}: ${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)}`);
  }
}

/**
 * The name, label names and label values of the previous sample, by position. Consecutive lines of an
 * exposition mostly repeat them (a histogram's buckets differ only in `le`), so reusing the
 * strings already made saves allocating and hashing them again on every line.
 */
interface SeenLabels {
  /** Name of the last sample line. */
  sampleName: string;
  readonly names: (string | undefined)[];
  readonly values: (string | undefined)[];
}

interface MutableFamily {
  name: string;
  type: ExpositionType;
  help?: string;
  typed: boolean;
  samples: ExpositionSample[];
}

const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'unknown']);
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;

const NO_LABELS: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

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
    const sample = sampleLine(line, i, lineNo, seen, keep);
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

/** One sample line; undefined when well-formed but not kept (its labels only skipped over). */
function sampleLine(line: string, from: number, lineNo: number, seen: SeenLabels, keep: ((name: string) => boolean) | undefined): ExpositionSample | undefined {
  let name = seen.sampleName;
  let nameEnd = from + name.length;
  if (name === '' || !line.startsWith(name, from) || isNameChar(line.charCodeAt(nameEnd)) || line.charCodeAt(nameEnd) === 58 /* : */) {
    nameEnd = scanName(line, from, true);
    if (nameEnd === from) throw new ExpositionParseError(lineNo, 'expected a metric name', line);
    name = line.slice(from, nameEnd);
    seen.sampleName = name;
  }
  const kept = keep === undefined || keep(name);
  const labels: Record<string, string> = kept ? (Object.create(null) as Record<string, string>) : NO_LABELS;
  let i = skipBlanks(line, nameEnd);
  if (line.charCodeAt(i) === 123 /* { */) {
    if (kept) {
      i = parseLabels(line, i + 1, lineNo, labels, seen);
    } else {
      // Neither a value nor a timestamp can hold '}': the last one closes the label set.
      const close = line.lastIndexOf('}');
      if (close < i) throw new ExpositionParseError(lineNo, 'unterminated label set', line);
      i = close + 1;
    }
  } else if (i === nameEnd && i < line.length) {
    throw new ExpositionParseError(lineNo, 'invalid character in metric name', line);
  }
  i = skipBlanks(line, i);
  const valueEnd = tokenEnd(line, i);
  if (valueEnd === i) throw new ExpositionParseError(lineNo, 'missing sample value', line);
  const value = parseValue(line.slice(i, valueEnd));
  if (value === undefined) throw new ExpositionParseError(lineNo, `invalid sample value "${line.slice(i, valueEnd)}"`, line);
  i = skipBlanks(line, valueEnd);
  let timestampMillis: number | undefined;
  if (i < line.length) {
    const stampEnd = tokenEnd(line, i);
    const stamp = line.slice(i, stampEnd);
    if (!INTEGER.test(stamp)) throw new ExpositionParseError(lineNo, `invalid timestamp "${stamp}"`, line);
    if (skipBlanks(line, stampEnd) !== line.length) throw new ExpositionParseError(lineNo, 'unexpected text after the timestamp', line);
    timestampMillis = Number(stamp);
  }
  if (!kept) return undefined;
  return timestampMillis === undefined ? { name, labels, value } : { name, labels, value, timestampMillis };
}

/** Labels after `{` up to and including `}`; returns the index after `}`. */
function parseLabels(line: string, from: number, lineNo: number, labels: Record<string, string>, seen: SeenLabels): number {
  let i = skipBlanks(line, from);
  for (let position = 0; ; position++) {
    if (line.charCodeAt(i) === 125 /* } */) return i + 1;
    let labelName = seen.names[position];
    let nameEnd = labelName === undefined ? i : i + labelName.length;
    if (labelName === undefined || !line.startsWith(labelName, i) || isNameChar(line.charCodeAt(nameEnd))) {
      nameEnd = scanName(line, i, false);
      if (nameEnd === i) throw new ExpositionParseError(lineNo, i >= line.length ? 'unterminated label set' : 'expected a label name', line);
      labelName = line.slice(i, nameEnd);
      seen.names[position] = labelName;
    }
    i = skipBlanks(line, nameEnd);
    if (line.charCodeAt(i) !== 61 /* = */) throw new ExpositionParseError(lineNo, `expected '=' after label ${labelName}`, line);
    i = skipBlanks(line, i + 1);
    if (line.charCodeAt(i) !== 34 /* " */) throw new ExpositionParseError(lineNo, `expected '"' to open the value of label ${labelName}`, line);
    const valueStart = i + 1;
    if (labelName in labels) throw new ExpositionParseError(lineNo, `label ${labelName} appears twice`, line);
    // A remembered value holds neither '"' nor '\\', so matching it and a closing quote is the whole value.
    const known = seen.values[position];
    if (known !== undefined && line.charCodeAt(valueStart + known.length) === 34 && line.startsWith(known, valueStart)) {
      labels[labelName] = known;
      i = valueStart + known.length;
    } else {
      i = valueStart;
      let escaped = false;
      for (;;) {
        if (i >= line.length) throw new ExpositionParseError(lineNo, `unterminated value of label ${labelName}`, line);
        const c = line.charCodeAt(i);
        if (c === 34 /* " */) break;
        if (c === 92 /* \ */) {
          escaped = true;
          i += 2;
        } else {
          i += 1;
        }
      }
      if (escaped) {
        labels[labelName] = unescapeLabel(line, valueStart, i, lineNo);
      } else {
        const value = line.slice(valueStart, i);
        seen.values[position] = value;
        labels[labelName] = value;
      }
    }
    i = skipBlanks(line, i + 1);
    const c = line.charCodeAt(i);
    if (c === 44 /* , */) i = skipBlanks(line, i + 1);
    else if (i >= line.length) throw new ExpositionParseError(lineNo, 'unterminated label set', line);
    else if (c !== 125 /* } */) throw new ExpositionParseError(lineNo, `expected ',' or '}' after the value of label ${labelName}`, line);
  }
}

function unescapeLabel(line: string, from: number, to: number, lineNo: number): string {
  let out = '';
  let chunk = from;
  for (let i = from; i < to; i++) {
    if (line.charCodeAt(i) !== 92) continue;
    const next = line.charCodeAt(i + 1);
    const replacement = next === 92 ? '\\' : next === 34 ? '"' : next === 110 ? '\n' : undefined;
    if (replacement === undefined) throw new ExpositionParseError(lineNo, `invalid escape "\\${line.charAt(i + 1)}" in a label value`, line);
    out += line.slice(chunk, i) + replacement;
    i += 1;
    chunk = i + 1;
  }
  return out + line.slice(chunk, to);
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

function parseValue(token: string): number | undefined {
  if (FLOAT.test(token)) return Number(token);
  switch (token.toLowerCase()) {
    case 'nan':
    case '+nan':
    case '-nan':
      return Number.NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Number.POSITIVE_INFINITY;
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}

/** End of a metric name (colons allowed) or label name starting at `from` (== from when none). */
function scanName(s: string, from: number, colons: boolean): number {
  let i = from;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (colons && c === 58);
    if (!letter && !(i > from && c >= 48 && c <= 57)) break;
  }
  return i;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function skipBlanks(s: string, from: number): number {
  let i = from;
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
}

function tokenEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length && !isBlank(s.charCodeAt(i))) i++;
  return i;
}
