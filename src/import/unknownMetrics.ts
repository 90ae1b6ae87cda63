import { closestName } from '../closestName.ts';
import { terminalText } from '../terminalText.ts';
import { STANDARD_METRICS } from '../types.ts';

/**
 * One warning per metric of an imported file that munnin does not know: neither a run-format
 * metric nor one the parameters name (a detector's `metrics` option). The run format allows
 * extra keys, so it is not an error; but a misspelt `respone_bytes` is otherwise accepted
 * without a word, and every byte detector then watches nothing. The closest known name is
 * offered when it is a plausible typo (see closestName).
 */
export function unknownMetricWarnings(metrics: readonly { readonly metric: string; readonly at: string }[], extraKnown: readonly string[] = []): string[] {
  const known = [...new Set([...Object.keys(STANDARD_METRICS), ...extraKnown])];
  const warnings: string[] = [];
  for (const { metric, at } of metrics) {
    if (known.includes(metric)) continue;
    const closest = closestName(metric, known);
    warnings.push(`${at}: ${terminalText(metric)}: not a metric munnin knows (${closest === undefined ? `known: ${Object.keys(STANDARD_METRICS).join(', ')}` : `${closest}?`}); detectors ignore it`);
  }
  return warnings;
}

/** Metric names that parameters name for detectors (`detectors.options.<name>.metrics`). */
export function metricsNamedIn(detectorOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>): string[] {
  const out: string[] = [];
  for (const options of Object.values(detectorOptions)) {
    const metrics = options['metrics'];
    if (Array.isArray(metrics)) for (const m of metrics) if (typeof m === 'string') out.push(m);
  }
  return out;
}
