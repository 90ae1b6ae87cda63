import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from '../store/fsErrors.ts';
import { processAlive } from '../processAlive.ts';

/**
 * What a replay writes into its folder: replaced as a whole, never mixed with an earlier
 * replay's. events.ndjson (the ground truth of `--events` or `--inject`) and injection.json
 * (what `--inject` added) are among them: a replay without them writes none, and an earlier
 * one must not stay.
 */
export const REPLAY_OUTPUTS: ReadonlySet<string> = new Set(['summary.json', 'scores.csv', 'alerts.ndjson', 'events.ndjson', 'injection.json', 'report.html', 'report']);

/**
 * A replay's output folder built aside and swapped in whole. The outputs are written to a
 * fresh sibling folder (`.<name>.staging-<pid>-…`, same file system, so renames are atomic);
 * commit() moves the earlier folder aside, renames the new one into place, carries over what
 * is not a replay output (e.g. a sweep's `replay/<variant>/` folders, a user's notes), and
 * removes the earlier outputs. It is synchronous: a Ctrl-C (handled on the event loop)
 * cannot fall in the middle. Until commit() the earlier outputs are untouched, so a replay
 * stopped at any point (while reading, scoring or drawing the report, or killed outright)
 * leaves the earlier report, images and summary together; a staging folder left by a killed
 * replay is removed by the next one.
 */
export class StagedOutput {
  private done = false;

  private constructor(
    /** The final folder. */
    readonly outDir: string,
    /** Where to write meanwhile. */
    readonly dir: string,
  ) {}

  static begin(outDir: string): StagedOutput {
    const parent = dirname(outDir);
    const prefix = `.${basename(outDir)}.staging-`;
    try {
      mkdirSync(parent, { recursive: true });
      removeStale(parent, prefix);
      // Not mkdtemp: it makes the folder 0700, and renamed into place that would hide the
      // results from colleagues and dashboards under other accounts. mkdir gives 0777 & ~umask.
      const dir = join(parent, `${prefix}${process.pid}-${randomBytes(6).toString('hex')}`);
      mkdirSync(dir);
      return new StagedOutput(outDir, dir);
    } catch (e) {
      throw describeFsError(e, outDir, 'write the replay output', 'choose another folder with --out');
    }
  }

  /** Put the new outputs in place of the old ones, keeping whatever else the folder held. */
  commit(): void {
    if (this.done) return;
    this.done = true;
    const old = existsSync(this.outDir) ? `${this.dir}.old` : undefined;
    try {
      if (old !== undefined) renameSync(this.outDir, old);
      renameSync(this.dir, this.outDir);
      if (old !== undefined) {
        for (const name of readdirSync(old)) if (!REPLAY_OUTPUTS.has(name) && !name.endsWith('.tmp')) renameSync(join(old, name), join(this.outDir, name));
        rmSync(old, { recursive: true, force: true });
      }
    } catch (e) {
      throw describeFsError(e, this.outDir, 'put the replay output in place', `the new outputs are in ${this.dir}${old ? `, the earlier ones in ${old}` : ''}`);
    }
  }

  /** Drop the new outputs; the earlier ones stay as they were. Idempotent. */
  discard(): void {
    if (this.done) return;
    this.done = true;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Staging folders of replays that are no longer running (killed before they could clean up). */
function removeStale(parent: string, prefix: string): void {
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (Number.isSafeInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}
