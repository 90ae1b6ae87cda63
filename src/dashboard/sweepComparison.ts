import { join } from 'node:path';
import { axisLabels, f1Charts, rateAxis, type ComparisonRow, type SweepIndexAxis } from '../sweep/index.ts';
import { readOptional } from './runFiles.ts';
import type { SweepSummary } from './SweepCatalog.ts';

// A sweep's comparison.json as the sweep page shows it: read quietly (a bad row is left out,
// an unreadable file is a problem shown on the page), with the F1 charts drawn again from its
// rows as chart.js configurations by the same code as the PNGs.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** comparison.json, its rows checked for shape (bad rows left out), and the F1 charts drawn from them. */
export async function readComparison(dir: string): Promise<SweepSummary['comparison']> {
  const text = await readOptional(join(dir, 'comparison.json'));
  if (text === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { axes: [], withInject: false, rows: [], charts: [], problem: `comparison.json: not valid JSON (${(e as Error).message})` };
  }
  if (!isObject(value) || !Array.isArray(value['rows']) || !Array.isArray(value['axes'])) return { axes: [], withInject: false, rows: [], charts: [], problem: 'comparison.json: expected an object with rows and axes' };
  const stat = (v: unknown) => isObject(v) && (v['mean'] === null || typeof v['mean'] === 'number') && typeof v['n'] === 'number';
  const rows = (value['rows'] as unknown[]).filter(
    (r): r is ComparisonRow => isObject(r) && typeof r['detector'] === 'string' && isObject(r['axisValues']) && typeof r['runs'] === 'number' && ['tpr', 'fpr', 'f1', 'auc'].every((m) => stat(r[m])),
  );
  const axes = (value['axes'] as unknown[]).filter((a): a is SweepIndexAxis => isObject(a) && typeof a['name'] === 'string' && typeof a['path'] === 'string' && Array.isArray(a['values']) && (a['side'] === 'experiment' || a['side'] === 'detector'));
  const withInject = Array.isArray(value['inject']) && value['inject'].length > 0;
  const rate = rateAxis(axes, withInject);
  const charts = rate === undefined ? [] : f1Charts(rows, axes.map((a) => ({ ...a, labels: axisLabels(a.values) })), rate).map((c) => ({ file: c.file, config: c.config }));
  return { ...(typeof value['createdAt'] === 'string' ? { createdAt: value['createdAt'] } : {}), axes, withInject, rows, charts };
}
