import { formatSignificant } from './formatScore.ts';
import { terminalText } from '../terminalText.ts';
import type { ReplaySummary } from './ReplaySummary.ts';
import { checkedBlame } from './checkedBlame.ts';
import { CAVEAT_MARK, caveatNotes, thresholdCaveat } from './thresholdCaveat.ts';
import { promiseNotes } from './falseAlarmPromise.ts';
import { figureText } from './figureText.ts';

/**
 * The replay summary as a plain-text table, one row per detector, columns aligned
 * (text left, numbers right); "-" where a rate is undefined (e.g. no attack interval).
 * "blame on path": of the alarms in attack intervals, how many first blame an edge of the attack
 * (of those whose attack has a path to check against; "-" when none has, see checkedBlame).
 * With `operatingPoints`, a threshold and a TPR column per false-alarm rate of summary.json.
 * A detector that had no threshold where it mattered (thresholdCaveat) is marked, with a footnote;
 * those whose false alarms broke the rate they were calibrated to are listed (promiseNotes).
 */
export function formatSummaryTable(summary: ReplaySummary, options: { readonly operatingPoints?: boolean } = {}): string {
  const header = ['detector', 'TP', 'FP', 'TN', 'FN', 'TPR', 'FPR', 'precision', 'F1', 'AUC', 'attacks', 'mean delay', 'blame on path'];
  // Operating points (replay --at-fpr): per rate, the threshold read off the ROC and the TPR there.
  const rates = options.operatingPoints ? (Object.values(summary.detectors)[0]?.operatingPoints.map((p) => p.fpr) ?? []) : [];
  for (const r of rates) header.push(`threshold@${r}`, `TPR@${r}`);
  const rows = Object.entries(summary.detectors).map(([name, d]) => [
    `${terminalText(name)}${thresholdCaveat(d) === undefined ? '' : ` ${CAVEAT_MARK}`}`,
    String(d.tp),
    String(d.fp),
    String(d.tn),
    String(d.fn),
    figureText(d.tpr),
    figureText(d.fpr),
    figureText(d.precision),
    figureText(d.f1),
    figureText(d.auc),
    `${d.events.detected}/${d.events.total}`,
    d.events.meanDelaySeconds === null ? '-' : `${d.events.meanDelaySeconds.toFixed(1)} s`,
    blameCell(d.blame, d.blameWithoutPath),
    ...rates.flatMap((_, i) => {
      const p = d.operatingPoints[i];
      return [p?.threshold == null ? '-' : formatSignificant(p.threshold), figureText(p?.tpr ?? null)];
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  // Attacks whose intervals all fell in training or gaps cannot be caught: the detectors'
  // "attacks" column counts the others, and the title says so when they differ.
  const scorable = Object.values(summary.detectors)[0]?.events.total;
  const attacks = `${summary.attacks.length} attacks${scorable !== undefined && scorable !== summary.attacks.length ? ` (${scorable} with a scored interval)` : ''}`;
  const title =
    `run ${terminalText(summary.run)}: ${summary.intervals} intervals (${summary.gapIntervals} gaps, ${summary.trainingIntervals} training), ` +
    `${summary.scoredIntervals} scored, ${summary.attackIntervals} attack intervals, ${summary.graceIntervals} grace, ${attacks}`;
  const caveats = caveatNotes(Object.entries(summary.detectors).map(([name, d]) => [terminalText(name), d] as const));
  const note = caveats.length === 0 ? [] : ['', ...caveats];
  const promises = promiseNotes(Object.entries(summary.detectors));
  if (promises.length > 0) note.push('', ...promises);
  if (rates.length > 0) note.push('', `threshold@r, TPR@r: alarm when score > threshold, the highest TPR whose false-alarm rate is at most r (from the ROC; achieved rates in summary.json)`);
  return [title, '', line(header), ...rows.map(line), ...note].join('\n') + '\n';
}

/** On path / checked alarms; "-" when no alarm could be checked (none in attack intervals, or their attacks have no path). */
function blameCell(blame: ReplaySummary['detectors'][string]['blame'], withoutPath: number | undefined): string {
  const b = checkedBlame({ ...blame, withoutPath });
  return b === undefined ? '-' : `${b.onPath}/${b.checked}`;
}
