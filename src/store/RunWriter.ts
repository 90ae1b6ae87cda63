import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { checkWritableDir, describeFsError } from './fsErrors.ts';
import type { RunEvent, RunManifest, Snapshot } from '../types.ts';
import { snapshotToLine } from './snapshotCodec.ts';

/**
 * Writes a run directory as the run format prescribes (README "Run format").
 *
 * Every line is written synchronously as it happens, so a run killed at any moment
 * (Ctrl-C, a crash) keeps everything recorded before it: at worst a truncated last line,
 * which readers tolerate. run.json is replaced atomically (write, then rename).
 * A file-system failure (disk full, a folder made read-only) is a UserError naming the file,
 * the cause and what is kept; no `.tmp` file is left behind.
 */
export class RunWriter {
  private snapshotsFd: number | undefined;
  private eventsFd: number | undefined;
  private manifest: RunManifest;
  /** Intervals appended so far (gaps included). */
  snapshotCount = 0;
  /** Gap intervals appended so far. */
  gapCount = 0;

  private constructor(readonly dir: string, manifest: RunManifest) {
    this.manifest = manifest;
    this.snapshotsFd = guarded(join(dir, 'snapshots.ndjson'), 'create', () => openSync(join(dir, 'snapshots.ndjson'), 'a'));
    this.eventsFd = guarded(join(dir, 'events.ndjson'), 'create', () => openSync(join(dir, 'events.ndjson'), 'a'));
  }

  /** Create the directory (which must not hold a run already) and write run.json with complete: false. */
  static create(dir: string, manifest: RunManifest): RunWriter {
    assertNoRun(dir);
    guarded(dir, 'create the run folder', () => mkdirSync(dir, { recursive: true }));
    const writer = new RunWriter(dir, { ...manifest, complete: false });
    writer.writeManifest();
    return writer;
  }

  appendSnapshot(snapshot: Snapshot): void {
    if (this.snapshotsFd === undefined) return;
    const fd = this.snapshotsFd;
    guarded(join(this.dir, 'snapshots.ndjson'), 'record an interval', () => writeSync(fd, `${snapshotToLine(snapshot)}\n`));
    this.snapshotCount += 1;
    if (snapshot.gap) this.gapCount += 1;
  }

  appendEvent(event: RunEvent): void {
    if (this.eventsFd === undefined) return;
    const fd = this.eventsFd;
    guarded(join(this.dir, 'events.ndjson'), 'record an event', () => writeSync(fd, `${JSON.stringify(event)}\n`));
  }

  /** Write another JSON file into the run (e.g. traffic-stats.json). */
  writeJson(name: string, data: unknown): void {
    atomicWrite(join(this.dir, name), `${JSON.stringify(data, null, 2)}\n`);
  }

  /** Merge fields into run.json and rewrite it (e.g. what source was really used). */
  updateManifest(fields: Partial<RunManifest>): void {
    this.manifest = { ...this.manifest, ...fields };
    this.writeManifest();
  }

  /** Close the files and record whether the run completed. Idempotent. */
  finish(fields: Partial<RunManifest> & { complete: boolean }): void {
    for (const fd of [this.snapshotsFd, this.eventsFd]) if (fd !== undefined) closeSync(fd);
    this.snapshotsFd = this.eventsFd = undefined;
    this.updateManifest(fields);
  }

  private writeManifest(): void {
    atomicWrite(join(this.dir, 'run.json'), `${JSON.stringify(this.manifest, null, 2)}\n`);
  }
}

/** Refuse a directory that holds a run already: a new run must not mix its lines with an old one's. */
export function assertNoRun(dir: string): void {
  if (existsSync(join(dir, 'run.json'))) throw new UserError(`${dir}: a run already exists there (choose another --name)`);
}

function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw describeFsError(e, path, 'write it', undefined);
  }
}

/** Run a file-system call; its failure becomes a UserError naming the file and what was being done. */
function guarded<T>(path: string, doing: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw describeFsError(e, path, doing === 'create' ? 'create it' : doing);
  }
}

/** Check before anything starts that a run can be written to `dir` (see checkWritableDir); `parametersFile` is named in the advice. */
export function assertRunWritable(dir: string, parametersFile = 'parameters.ts'): void {
  checkWritableDir(dir, 'the run', `choose another outputDir in ${parametersFile}, or free the folder`);
}

/** `runN` for the next free N under outputDir (1 when there is none). */
export function nextRunName(outputDir: string): string {
  let max = 0;
  // Not a folder (a file, say): run1, and the writability check that follows says what is wrong.
  if (existsSync(outputDir) && statSync(outputDir).isDirectory()) {
    for (const entry of readdirSync(outputDir)) {
      const m = /^run(\d+)$/.exec(entry);
      if (m?.[1]) max = Math.max(max, Number(m[1]));
    }
  }
  return `run${max + 1}`;
}
