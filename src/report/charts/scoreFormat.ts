// Text of the score charts' axis and tooltips. Kept apart from the configuration because
// functions do not survive JSON: the dashboard puts these back on configurations it is sent.

/** A tick of the log ratio axis: decades only ("0.01", "1", "100", "1e+5"), nothing between. */
export function formatRatioTick(value: number | string): string {
  const v = Number(value);
  if (!(v > 0)) return '';
  const e = Math.log10(v);
  if (Math.abs(e - Math.round(e)) > 1e-9) return '';
  const n = Math.round(e);
  return n >= -3 && n <= 3 ? String(Number((10 ** n).toPrecision(1))) : `1e${n > 0 ? '+' : ''}${n}`;
}

/** A score or threshold with 3 significant digits (integers below 10^6 exactly; 10^4 and over, else under 10^-3, as 1.23e+5). */
export function formatScore(v: number | string): string {
  const n = Number(v);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
  if (Number.isInteger(n) && Math.abs(n) < 1e6) return String(n);
  if (n !== 0 && (Math.abs(n) >= 1e4 || Math.abs(n) < 1e-3)) return n.toExponential(2);
  return String(Number(n.toPrecision(3)));
}

interface TooltipItem {
  readonly raw?: unknown;
  readonly dataset?: { readonly label?: string };
}

/** Tooltip line of a score point: the raw score and threshold, and the ratio drawn. */
export function scoreTooltipLabel(item: TooltipItem): string {
  const p = item.raw as { y?: number | null; score?: number | string; threshold?: number | string; clamped?: string } | undefined;
  const label = item.dataset?.label ?? '';
  if (!p || p.score === undefined) return label;
  const score = Number(p.score);
  const threshold = Number(p.threshold);
  const ratio = threshold > 0 && Number.isFinite(score) && Number.isFinite(threshold) ? ` (÷ threshold = ${formatScore(score / threshold)})` : '';
  return `${label === 'alarm' ? 'alarm: ' : ''}score ${formatScore(score)}, threshold ${formatScore(threshold)}${ratio}`;
}
