import type { Frame, MetricKey } from '../types.ts';
import { FrameValues } from './frameValues.ts';

/**
 * The frame with every value divided by `slices`: the mean per interval of a frame that may hold
 * `slices` intervals' traffic (the one right after a run of gaps; see detectorOperator). Its
 * edges, positions and times are the frame's own.
 */
export function perSliceFrame(frame: Frame, slices: number): Frame {
  const scale = 1 / slices;
  const { active, activeValues, edgeCount } = frame;
  if (active !== undefined && activeValues !== undefined && edgeCount !== undefined) {
    const metrics: MetricKey[] = [];
    const arrays: Float64Array[] = [];
    const scaledActive = new Map<MetricKey, Float64Array>();
    for (const [metric, values] of activeValues) {
      const scaled = values.map((v) => v * scale);
      metrics.push(metric);
      arrays.push(scaled);
      scaledActive.set(metric, scaled);
    }
    return { ...frame, values: new FrameValues(metrics, arrays, active, edgeCount, false), activeValues: scaledActive };
  }
  const values = new Map<MetricKey, Float64Array>();
  for (const [metric, dense] of frame.values) values.set(metric, dense.map((v) => v * scale));
  return { ...frame, values };
}
