/**
 * Largest traffic value munnin takes as data: 2^53 − 1, where doubles stop counting in ones
 * (9 PB in one interval; no mesh moves that). A larger value (1e308, say) is bad input: it
 * would make detectors' sums and variances overflow to Infinity and poison every later
 * score. Where values enter (telemetry, snapshots.ndjson) such an interval becomes a gap:
 * its traffic is unknown, as with any other unreadable telemetry.
 */
export const MAX_PLAUSIBLE_VALUE = Number.MAX_SAFE_INTEGER;

/** Whether `v` is a traffic value munnin takes as data: finite, not negative, at most MAX_PLAUSIBLE_VALUE. */
export function isPlausibleValue(v: number): boolean {
  return v >= 0 && v <= MAX_PLAUSIBLE_VALUE;
}
