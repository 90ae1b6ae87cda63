import { UserError } from '../errors.ts';
import { log } from '../logger.ts';
import type { RunEvent } from '../types.ts';
import { eventKindWarnings } from './eventKindWarnings.ts';
import { checkEvent, ignoredEventField } from './readEvents.ts';
import { readLines } from './readLines.ts';

/**
 * A ground-truth file given by the user (`--events incidents.ndjson`): events.ndjson's form
 * (run-format.md "events.ndjson"), one JSON object per line, blank lines allowed. Unlike a
 * run's own events.ndjson, nothing is skipped: every bad line is reported at once, with its
 * line number (a `path` or `bytes` of the wrong type too, which a run's reader leaves out of
 * the event), and the file is refused, since a ground truth missing an attack would score
 * detectors wrongly without a word; for the same reason kinds it does not know, and a file
 * without any attack, are warned about (eventKindWarnings).
 */
export async function readEventsFile(file: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const problems: string[] = [];
  const kinds: { kind: string; line: number }[] = [];
  let ignored: string | undefined;
  try {
    for await (const line of readLines(file)) {
      if (line.text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line.text);
      } catch (e) {
        problems.push(`${file}:${line.number}: not valid JSON (${(e as Error).message})`);
        continue;
      }
      const checked = checkEvent(value, { strictDetail: true });
      if (typeof checked === 'string') problems.push(`${file}:${line.number}: ${checked}`);
      else {
        events.push(checked);
        kinds.push({ kind: checked.kind, line: line.number });
        const field = ignored === undefined ? ignoredEventField(value, { strictDetail: true }) : undefined;
        if (field !== undefined) ignored = `${file}:${line.number}: ${field} (said for the first such line only)`;
      }
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code ?? (e as { cause?: NodeJS.ErrnoException } | undefined)?.cause?.code;
    if (code === 'ENOENT' || (e instanceof Error && /no such file/.test(e.message))) throw new UserError(`--events: cannot read ${file}: no such file`);
    throw new UserError(`--events: cannot read ${file}: ${(e as Error).message}`);
  }
  if (problems.length > 0) throw new UserError(`--events: ${file} is not in the run format's events form:\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  ... and ${problems.length - 20} more` : ''}`);
  // Unknown kinds are informational by the run format: kept, but said, since a misspelt
  // attack would otherwise leave every alarm on it counted false.
  for (const warning of eventKindWarnings(file, kinds)) log.warn(warning);
  if (ignored !== undefined) log.warn(ignored);
  return events;
}
