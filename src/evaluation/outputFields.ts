/** JSON has no Infinity or NaN: such numbers are written as strings rather than silently as null. */
export function jsonNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

/** A CSV field, quoted (RFC 4180) when it holds a quote, a comma or a line break. */
export function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Text from telemetry (service names: whoever runs a workload chooses them) as a CSV cell a
 * spreadsheet will not run: one starting with `=`, `+`, `-`, `@`, a tab or a carriage return
 * is a formula to Excel and LibreOffice, so it gets a leading `'` (OWASP's advice for CSV
 * injection). No Kubernetes or Istio name starts so; only a forged one changes.
 */
export function spreadsheetText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
