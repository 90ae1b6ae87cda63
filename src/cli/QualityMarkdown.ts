import { formatComparisonMarkdown, markdownCell, type RunsComparison } from '../evaluation/index.ts';

/**
 * The tables `npm run quality` prints, gathered as one Markdown page (`--markdown <file>`), so
 * that the figures a page quotes (docs/quality.md) are written by the command that measured them,
 * at one commit, not copied by hand from a terminal. The folders' absolute paths are written
 * `<out>` (the run's --out) and `<repository>`, so the page reads the same wherever it was made.
 */
export class QualityMarkdown {
  private readonly sections: string[] = [];

  /**
   * @param out the folder the parts were built in (--out or a temporary one)
   * @param root the repository, whose fixtures the parts link
   */
  constructor(
    private readonly out: string,
    private readonly root: string,
  ) {}

  /** One replayed folder: its heading, the command that replayed it, the settings' origin, its tables. */
  add(heading: string, command: string, settings: string, comparison: RunsComparison, options: { readonly smallestAtFpr?: number } = {}): void {
    // Outside code spans `<out>` would be read as an HTML tag (and hidden), a `_` as emphasis.
    const lines = [`## ${markdownCell(this.relative(heading))}`, '', `\`${this.relative(command)}\` (detector settings: ${markdownCell(settings)})`, '', formatComparisonMarkdown(comparison, options)];
    this.sections.push(lines.join('\n'));
  }

  /** The page: a header saying how and when it was made, then every section in the order measured. */
  text(header: { readonly commit: string; readonly argv: readonly string[]; readonly date: Date }): string {
    const command = ['npm run quality', ...(header.argv.length > 0 ? ['--', ...header.argv] : [])].join(' ');
    const intro = [
      '# Measured quality',
      '',
      `Written by \`${this.relative(command)}\` at commit ${header.commit}, ${header.date.toISOString().slice(0, 10)}.`,
      'Each section is one `npm run replay -- <folder>` on a folder that command builds under its',
      '`--out` (written `<out>` here); what each part holds and how to read it: README, "Measured',
      'quality across runs". TPR = attacks caught / attacks and FPR = false alarms / benign scored',
      "intervals, at the detectors' own thresholds, summed over the runs; AUC and TPR at the",
      "configured rate from one ROC of every run's intervals, each scored as score ÷ threshold.",
    ].join('\n');
    return `${[intro, ...this.sections].join('\n\n')}\n`;
  }

  private relative(text: string): string {
    return text.replace(wholePath(this.out), '<out>').replace(wholePath(this.root), '<repository>');
  }
}

/** `path` as a whole path in text: not the start of a longer name (`<out>` is not `<out>.md`'s folder). */
function wholePath(path: string): RegExp {
  return new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[/\\\\\\s,;)]|$)`, 'g');
}
