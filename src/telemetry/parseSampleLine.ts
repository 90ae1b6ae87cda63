import { ExpositionParseError } from './ExpositionParseError.ts';
import { isBlank, isNameChar, scanName, skipBlanks, tokenEnd } from './expositionScan.ts';
import type { ExpositionSample } from './parseExposition.ts';

// One sample line of the text exposition format, scanned character by character: this is
// the hot loop of every scrape (a sidecar's exposition is thousands of such lines).

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;
const NO_LABELS: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

/**
 * The name, label names and label values of the previous sample, by position. Consecutive lines of an
 * exposition mostly repeat them (a histogram's buckets differ only in `le`), so reusing the
 * strings already made saves allocating and hashing them again on every line.
 */
export interface SeenLabels {
  /** Name of the last sample line. */
  sampleName: string;
  readonly names: (string | undefined)[];
  readonly values: (string | undefined)[];
}

/** One sample line; undefined when well-formed but not kept (its labels only skipped over). */
export function parseSampleLine(line: string, from: number, lineNo: number, seen: SeenLabels, keep: ((name: string) => boolean) | undefined): ExpositionSample | undefined {
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
