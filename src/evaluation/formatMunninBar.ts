import { munninBar } from './munninBar.ts';
import type { RunsComparison } from './compareRuns.ts';
import { figureText, intervalText } from './figureText.ts';

/**
 * Each detector's TPR / FPR per size against the bar Munnin set on its own data (MUNNIN_BAR):
 * cleared as measured (+) and beyond sampling error (++), then the 95 % intervals of the sizes
 * cleared, since a few attacks a size clear a 90 % bar as measured but say little. Empty when
 * the comparison has none of the bar's sizes (its table by bytes).
 */
export function formatMunninBar(comparison: RunsComparison): string {
  const rows = munninBar(comparison);
  if (!rows.some((row) => row.sizes.length > 0)) return '';
  const lines = [
    `against the bar Munnin set on its own data (> 40 %, 33 %, 40 % of 10, 15, 20 kB at FPR ≤ 7 %, 7 %, 3 %; ≥ 90 % from 25 kB at FPR ≤ 5 %), TPR/FPR per size;` +
      ` + cleared as measured, ++ also beyond sampling error (the 95 % Wilson intervals' TPR lower end and FPR upper end clear it):`,
  ];
  for (const row of rows) {
    const cells = row.sizes.map((s) => `${s.bytes / 1000} kB ${figureText(s.tpr, 2)}/${figureText(s.fpr)}${s.sure ? ' ++' : s.met ? ' + ' : '   '}`);
    const verdict = row.allSure ? '   all cleared, beyond sampling error' : row.all ? '   all cleared as measured' : '';
    lines.push(`  ${row.detector.padEnd(14)} ${cells.join('  ')}${verdict}`);
  }
  const cleared = rows.filter((row) => row.sizes.some((s) => s.met));
  if (cleared.length > 0) {
    lines.push('95 % intervals of the sizes cleared as measured, TPR and FPR (each attack and benign interval counted as an independent trial):');
    for (const row of cleared) {
      const cells = row.sizes.filter((s) => s.met).map((s) => `${s.bytes / 1000} kB ${intervalText(s.tprInterval95, 2)}, ${intervalText(s.fprInterval95, 3)}`);
      lines.push(`  ${row.detector.padEnd(14)} ${cells.join('; ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
