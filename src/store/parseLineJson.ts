/**
 * A snapshots.ndjson line parsed as JSON, reading the bare `NaN`, `Infinity` and `-Infinity`
 * that Python's json.dumps writes by default (allow_nan) as those numbers. They are not JSON,
 * but refusing the whole line for them would lose an interval whose `t` and `dt` are readable:
 * read, the value is then refused by the decoder field by field ("edges[1].response_bytes:
 * expected a non-negative number (got NaN)"), and the interval kept as a gap, as the run format
 * asks of a bad line. `nonFinite` says such a word was read. A line that is not JSON even so
 * throws JSON.parse's own error for the line as written.
 */
export function parseLineJson(text: string): { readonly value: unknown; readonly nonFinite: boolean } {
  try {
    return { value: JSON.parse(text) as unknown, nonFinite: false };
  } catch (error) {
    const marked = markNonFinite(text);
    if (marked === undefined) throw error;
    try {
      // MARKED's own keys only: `in` also finds Object.prototype's members, and turned every
      // name `constructor` or `toString` of such a line into a function.
      return { value: JSON.parse(marked, (_key, v: unknown) => (typeof v === 'string' && Object.hasOwn(MARKED, v) ? MARKED[v] : v)) as unknown, nonFinite: true };
    } catch {
      throw error;
    }
  }
}

const MARK = '\uE000';
// The marker written as a JSON escape, which JSON.parse turns into the marker itself.
const ESCAPED_MARK = /\\u[eE]000/;
const WORDS = ['-Infinity', 'Infinity', 'NaN'] as const;
const MARKED: Readonly<Record<string, number>> = { [`${MARK}NaN${MARK}`]: Number.NaN, [`${MARK}Infinity${MARK}`]: Infinity, [`${MARK}-Infinity${MARK}`]: -Infinity };

/**
 * The text with each NaN, Infinity and -Infinity outside strings written as a marked string
 * (a private-use character each side), or undefined when there is none, or when the text holds
 * that character already, raw or as the JSON escape \uE000 (any case): a name could then pass
 * for a marked number.
 */
function markNonFinite(text: string): string | undefined {
  if (text.includes(MARK) || ESCAPED_MARK.test(text)) return undefined;
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== 'N' && c !== 'I' && c !== '-') continue;
    const word = WORDS.find((w) => text.startsWith(w, i));
    if (word === undefined) continue;
    out += `${text.slice(from, i)}"${MARK}${word}${MARK}"`;
    i += word.length - 1;
    from = i + 1;
  }
  return from === 0 ? undefined : out + text.slice(from);
}
