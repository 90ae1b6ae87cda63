/** Seconds of a protobuf-JSON or Go duration ("1s", "500ms", "1.5s", "1m"); NaN if it is none. */
export function parseDurationSeconds(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!m) return Number.NaN;
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}
