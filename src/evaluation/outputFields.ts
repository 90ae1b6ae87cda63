/** JSON has no Infinity or NaN: such numbers are written as strings rather than silently as null. */
export function jsonNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

/** A CSV field, quoted (RFC 4180) when it holds a quote, a comma or a line break. */
export function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
