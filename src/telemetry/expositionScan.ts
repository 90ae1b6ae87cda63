// Character scanning shared by the exposition parser's line and sample readers: names,
// blanks and tokens, by char code (no regular expressions in the hot loop).

/** A letter, digit or underscore: whether a name goes on past this character (colons aside). */
export function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}

/** End of a metric name (colons allowed) or label name starting at `from` (== from when none). */
export function scanName(s: string, from: number, colons: boolean): number {
  let i = from;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (colons && c === 58);
    if (!letter && !(i > from && c >= 48 && c <= 57)) break;
  }
  return i;
}

/** A space or a tab: the format's only separators within a line. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** The first position at or after `from` that is not blank. */
export function skipBlanks(s: string, from: number): number {
  let i = from;
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
}

/** The end of the token (a run of non-blanks) starting at `from`. */
export function tokenEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length && !isBlank(s.charCodeAt(i))) i++;
  return i;
}
