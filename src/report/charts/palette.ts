// Colours shared by every chart of the report (a colour-blind-safe set, Okabe-Ito order).
import { visibleBidi } from '../../visibleBidi.ts';

// The eight of Okabe-Ito, then a grey, a brown and an indigo for the ninth to eleventh detector
// (still told apart by marker: see src/sweep/f1Charts.ts).
/** One colour per detector, in the order detectors are listed. */
export const SERIES_COLORS: readonly string[] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442', '#7F7F7F', '#8C564B', '#332288'];

export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length] ?? '#000000';
}

/** Shading of attack intervals. */
export const ATTACK_BAND = 'rgba(213, 94, 0, 0.18)';
/** Shading of gaps (telemetry unreadable: unknown traffic). */
export const GAP_BAND = 'rgba(120, 120, 120, 0.22)';
/** Shading of the training stretch (no alarms possible). */
export const TRAINING_BAND = 'rgba(0, 114, 178, 0.06)';
/** Shading of scored intervals that had no threshold yet (calibrating: no alarm possible); green, apart from the grey gaps. */
export const NO_THRESHOLD_BAND = 'rgba(0, 158, 115, 0.12)';
/** Alarm markers. */
export const ALARM_COLOR = '#C00000';

/** Chart text font, with fallbacks available on most systems. */
export const FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Lato, Arial, sans-serif";

/** Shorten a (possibly attacker-chosen, arbitrarily long) name for chart text, its bidi controls written out (visibleBidi). */
export function shortName(name: string, max = 28): string {
  const shown = visibleBidi(name);
  return shown.length <= max ? shown : `${shown.slice(0, max - 1)}…`;
}
