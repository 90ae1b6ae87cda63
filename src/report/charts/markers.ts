// Point markers shared by every chart with a line per detector (the folder replay's
// TPR-by-bytes plot, the sweep's F1 charts): lines drawn over each other must still show
// whose points they are.

/** A marker: a Chart.js point style, its rotation in degrees, and whether it is drawn hollow. */
export interface Marker {
  readonly style: 'circle' | 'rect' | 'triangle' | 'rectRot' | 'star' | 'crossRot' | 'cross' | 'rectRounded';
  readonly rotation: number;
  readonly hollow: boolean;
}

/**
 * Chart.js's eight shapes that read as points ('dash' and 'line' read as a line, so they are
 * not used), the triangle upside down, then the five fillable shapes hollow: fourteen detectors
 * tell apart before a marker repeats.
 */
export const MARKERS: readonly Marker[] = [
  ...(['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'cross', 'rectRounded'] as const).map((style) => ({ style, rotation: 0, hollow: false })),
  { style: 'triangle', rotation: 180, hollow: false },
  ...(['circle', 'rect', 'rectRot', 'rectRounded', 'triangle'] as const).map((style) => ({ style, rotation: 0, hollow: true })),
];

/** The dataset fields drawing detector i's points in `color`: filled, or white inside a `color` outline. */
export function markerStyle(i: number, color: string): { pointStyle: Marker['style']; pointRotation: number; backgroundColor: string } {
  const m = MARKERS[i % MARKERS.length]!;
  return { pointStyle: m.style, pointRotation: m.rotation, backgroundColor: m.hollow ? '#ffffff' : color };
}
