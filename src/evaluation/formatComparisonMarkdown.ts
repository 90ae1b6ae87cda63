import type { RunsComparison } from './compareRuns.ts';
import { CAVEAT_MARK } from './thresholdCaveat.ts';
import { pooledPromiseLine, PROMISE_SIGNIFICANCE } from './falseAlarmPromise.ts';
import { munninBar } from './munninBar.ts';
import { smallestCaught } from './smallestCaught.ts';
import { figureText, intervalText } from './figureText.ts';
import { terminalText } from '../terminalText.ts';

/**
 * Text made one inert Markdown table cell. Detector names come from plugins and parameters
 * files, and the page is rendered as HTML wherever it is read (GitHub, an editor's preview):
 * `|` would split the cell, `<`/`>`/`&` be markup, `[`, `]`, `*`, `_` and backticks links and
 * emphasis; control and bidirectional characters are written out as on a terminal (terminalText).
 */
export function markdownCell(text: string): string {
  return terminalText(text)
    .replace(/[\\`*_[\]|]/g, (c) => `\\${c}`)
    .replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
}

/**
 * A Markdown table: header, the alignment row, then the body. The first column and the last
 * `textColumns` are left-aligned (names, words), the others right-aligned (figures).
 */
export function markdownTable(header: readonly string[], body: readonly (readonly string[])[], textColumns = 0): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const left = (i: number) => i === 0 || i >= header.length - textColumns;
  return [line(header), line(header.map((_, i) => (left(i) ? '---' : '---:'))), ...body.map(line)].join('\n');
}

/** Sizes in kB as a table heading reads them. */
const kB = (bytes: number) => `${bytes / 1000} kB`;

/**
 * One folder comparison as Markdown, the same figures formatRunsComparison and formatMunninBar
 * print (nothing recomputed but the formatting): the pooled table, the detectors whose false
 * alarms broke their promise over the runs, TPR / FPR by exfiltrated bytes and, when the rows
 * include Munnin's sizes, each detector against his bar; with `maxFpr`, the smallest size each
 * detector catches at that FPR (as `npm run quality` prints under part b). For pages that quote
 * measured figures (docs/quality.md) without copying them by hand.
 */
export function formatComparisonMarkdown(c: RunsComparison, options: { readonly smallestAtFpr?: number } = {}): string {
  const name = (d: string) => `${markdownCell(d)}${(c.uncalibratedRuns?.[d] ?? 0) > 0 ? ` ${CAVEAT_MARK}` : ''}`;
  const parts = [
    markdownTable(
      ['detector', 'runs', 'caught / attacks', 'TPR', 'false alarms / benign', 'FPR', 'AUC', `TPR@${c.falseAlarmRate}`, 'achieved FPR'],
      c.detectors.map((d) => {
        const p = c.pooled[d]!;
        return [name(d), String(p.runs), `${p.caught}/${p.events}`, figureText(p.tpr), `${p.falseAlarms}/${p.benignIntervals}`, figureText(p.fpr), figureText(p.auc), figureText(p.atRate.tpr), figureText(p.atRate.achievedFpr)];
      }),
    ),
  ];
  if (c.detectors.some((d) => (c.uncalibratedRuns?.[d] ?? 0) > 0)) {
    parts.push(`${CAVEAT_MARK} no threshold on every scored interval, or on attack intervals, in some runs (comparison.json \`uncalibratedRuns\`).`);
  }
  const broken = c.detectors.filter((d) => (c.pooled[d]!.promise?.p ?? 1) < PROMISE_SIGNIFICANCE);
  if (broken.length > 0) {
    const lines = broken.map((d) => `- ${pooledPromiseLine(markdownCell(d), c.pooled[d]!.promise!).trim()}`);
    parts.push(`False alarms beyond the promised rate over the runs (P < ${PROMISE_SIGNIFICANCE}; episodes, injected copies left out):\n\n${lines.join('\n')}`);
  }
  if (c.byBytes.length > 0) {
    parts.push(
      'TPR / FPR by exfiltrated bytes (a row\'s FPR over the runs with attacks of that size; benign: the runs without attacks):',
      markdownTable(
        ['bytes', 'runs', 'attacks', ...c.detectors.map(name)],
        c.byBytes.map((row) => {
          const events = Math.max(0, ...c.detectors.map((d) => row.detectors[d]!.events));
          const label = row.bytes === null ? markdownCell(row.label) : kB(row.bytes);
          return [label, String(row.runs.length), String(events), ...c.detectors.map((d) => `${figureText(row.detectors[d]!.tpr, 2)} / ${figureText(row.detectors[d]!.fpr)}`)];
        }),
      ),
    );
  }
  const bar = munninBar(c);
  const sizes = bar[0]?.sizes.map((s) => s.bytes) ?? [];
  if (sizes.length > 0) {
    const verdict = (row: (typeof bar)[number]) => {
      if (row.allSure) return '**every size**, beyond sampling error';
      const listed = (which: readonly { bytes: number }[], how: string) => (which.length === 0 ? [] : [`${which.map((s) => s.bytes / 1000).join(', ')} kB ${how}`]);
      const sure = listed(row.sizes.filter((s) => s.sure), 'beyond sampling error');
      const measured = listed(row.sizes.filter((s) => s.met && !s.sure), 'as measured');
      const said = [...sure, ...measured].join('; ');
      return row.all ? `**every size** (${said})` : said === '' ? 'none' : said;
    };
    parts.push(
      "Against Munnin's bar (more than 40 %, 33 %, 40 % of 10, 15, 20 kB at FPR ≤ 7 %, 7 %, 3 %; 90 % from 25 kB at FPR ≤ 5 %): TPR / FPR, `+` cleared as measured, `++` also beyond sampling error (95 % Wilson intervals):",
      markdownTable(
        ['detector', ...sizes.map(kB), 'clears the bar at'],
        bar.map((row) => [markdownCell(row.detector), ...row.sizes.map((s) => `${figureText(s.tpr, 2)} / ${figureText(s.fpr)}${s.sure ? ' ++' : s.met ? ' +' : ''}`), verdict(row)]),
        1,
      ),
    );
    const cleared = bar.filter((row) => row.sizes.some((s) => s.met));
    if (cleared.length > 0) {
      parts.push(
        'The 95 % Wilson intervals of the sizes cleared as measured, TPR; FPR (each attack and benign interval counted as an independent trial, so if anything too narrow):',
        markdownTable(
          ['detector', ...sizes.map(kB)],
          cleared.map((row) => [markdownCell(row.detector), ...row.sizes.map((s) => (s.met ? `${intervalText(s.tprInterval95, 2)}; ${intervalText(s.fprInterval95, 3)}` : ''))]),
        ),
      );
    }
  }
  if (options.smallestAtFpr !== undefined) {
    const at = (b: number | null | undefined) => (b === null || b === undefined ? 'none' : kB(b));
    parts.push(
      `Smallest exfiltration caught with the size's interval FPR ≤ ${options.smallestAtFpr}, at the detectors' own thresholds:`,
      markdownTable(
        ['detector', '≥ 50 % caught', '≥ 90 % caught'],
        smallestCaught(c, options.smallestAtFpr).map((s) => [markdownCell(s.detector), at(s.bytesAt['0.5']), at(s.bytesAt['0.9'])]),
      ),
    );
  }
  return parts.join('\n\n');
}
