import { realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { HttpError } from './httpResponses.ts';

/** The files of a run the dashboard reads (relative to the run folder). */
export const SERVED_RUN_FILES = ['run.json', 'snapshots.ndjson', 'events.ndjson', 'replay', 'replay/summary.json', 'replay/scores.csv', 'replay/alerts.ndjson'] as const;

/**
 * Refuse (403) a run folder, or a file the dashboard reads from it, that is a symbolic link
 * leading outside the data folder: a run whose snapshots.ndjson links to /etc/passwd must not
 * serve that file's lines to whoever can reach the dashboard. Links that stay inside the data
 * folder (a run folder linked under another name, say) are followed as before. Missing files
 * are left to the readers, which treat them as absent.
 */
export async function checkContained(root: string, runDir: string): Promise<void> {
  const realRoot = await realpath(root);
  for (const path of [runDir, ...SERVED_RUN_FILES.map((f) => join(runDir, f))]) {
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      continue;
    }
    const rel = relative(realRoot, real);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith(sep)) {
      throw new HttpError(403, `${relative(root, path)}: a symbolic link leading outside the data folder; not served`);
    }
  }
}
