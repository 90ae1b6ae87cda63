/**
 * The replay's `detectors.falseAlarmRate` (the rate every detector's threshold is calibrated
 * to, unless a detector overrides it), from the parameters the report was given untyped;
 * undefined when they do not say (a report written from the files alone).
 */
export function configuredFalseAlarmRate(parameters: unknown): number | undefined {
  if (typeof parameters !== 'object' || parameters === null) return undefined;
  const detectors = (parameters as { detectors?: unknown }).detectors;
  if (typeof detectors !== 'object' || detectors === null) return undefined;
  const rate = (detectors as { falseAlarmRate?: unknown }).falseAlarmRate;
  return typeof rate === 'number' && rate > 0 && rate < 1 ? rate : undefined;
}

/** Two false-alarm rates that are one, though computed or written differently (0.05 and 5e-2, 0.1 × 0.5). */
export const sameRate = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(a, b);
