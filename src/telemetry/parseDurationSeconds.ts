/** Seconds of a protobuf-JSON, Prometheus or Go duration ("1s", "500ms", "1.5s", "1m", "1m30s", Go's "1m0s"); NaN if it is none. */
export function parseDurationSeconds(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const text = value.trim();
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(text)) return Number.NaN;
  let seconds = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) seconds += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return seconds;
}
