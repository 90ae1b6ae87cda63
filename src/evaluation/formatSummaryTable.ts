import type { ReplaySummary } from './ReplaySummary.ts';

/**
 * The replay summary as a plain-text table, one row per detector, columns aligned
 * (text left, numbers right); "-" where a rate is undefined (e.g. no attack interval).
 * "blame on path": of the alarms in attack intervals, how many first blame an edge of the attack.
 */
export function formatSummaryTable(summary: ReplaySummary): string {
  const header = ['detector', 'TP', 'FP', 'TN', 'FN', 'TPR', 'FPR', 'precision', 'F1', 'AUC', 'attacks', 'mean delay', 'blame on path'];
  const rows = Object.entries(summary.detectors).map(([name, d]) => [
    name,
    String(d.tp),
    String(d.fp),
    String(d.tn),
    String(d.fn),
    rate(d.tpr),
    rate(d.fpr),
    rate(d.precision),
    rate(d.f1),
    rate(d.auc),
    `${d.events.detected}/${d.events.total}`,
    d.events.meanDelaySeconds === null ? '-' : `${d.events.meanDelaySeconds.toFixed(1)} s`,
    d.blame.alarms === 0 ? '-' : `${d.blame.onPath}/${d.blame.alarms}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const title =
    `run ${summary.run}: ${summary.intervals} intervals (${summary.gapIntervals} gaps, ${summary.trainingIntervals} training), ` +
    `${summary.scoredIntervals} scored, ${summary.attackIntervals} attack intervals, ${summary.graceIntervals} grace, ${summary.attacks.length} attacks`;
  return [title, '', line(header), ...rows.map(line)].join('\n') + '\n';
}

function rate(x: number | null): string {
  return x === null ? '-' : x.toFixed(3);
}
