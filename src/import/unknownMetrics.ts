import { STANDARD_METRICS } from '../types.ts';

/**
 * One warning per metric of an imported file that munnin does not know: neither a run-format
 * metric nor one the parameters name (a detector's `metrics` option). The run format allows
 * extra keys, so it is not an error; but a misspelt `respone_bytes` is otherwise accepted
 * without a word, and every byte detector then watches nothing. The closest known name is
 * offered when it is a plausible typo (see closeEnough).
 */
export function unknownMetricWarnings(metrics: readonly { readonly metric: string; readonly at: string }[], extraKnown: readonly string[] = []): string[] {
  const known = [...new Set([...Object.keys(STANDARD_METRICS), ...extraKnown])];
  const warnings: string[] = [];
  for (const { metric, at } of metrics) {
    if (known.includes(metric)) continue;
    const closest = closestName(metric, known);
    warnings.push(`${at}: ${metric}: not a metric munnin knows (${closest === undefined ? `known: ${Object.keys(STANDARD_METRICS).join(', ')}` : `${closest}?`}); detectors ignore it`);
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

/** The known name nearest to `name` when it is close enough to be a typo of it. */
function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && closeEnough(bestDistance, name.length) ? best : undefined;
}

/** A typo changes a few letters: at most 2 edits, 3 for names of 10 letters or more. */
function closeEnough(distance: number, length: number): boolean {
  return distance <= (length >= 10 ? 3 : 2);
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
