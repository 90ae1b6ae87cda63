/**
 * A value as JSON for an error message, with NaN, Infinity and -Infinity written as such.
 * JSON.stringify writes them as `null` ("expected a number (got null)" for a NaN is a riddle),
 * and a JSON number too large for a double (1e400) is read as Infinity, so it must be shown so.
 * Inside the JSON they are marked with a private-use character, which JSON.stringify leaves as
 * it is, and unquoted afterwards.
 */
export function jsonForMessage(value: unknown): string | undefined {
  const s = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `${MARK}${String(v)}${MARK}` : v));
  return s === undefined ? undefined : s.replace(MARKED, '$1');
}

const MARK = '\uE000';
const MARKED = /"\uE000(NaN|-?Infinity)\uE000"/g;
