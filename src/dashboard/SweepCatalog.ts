import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { readSweepIndex, SWEEP_INDEX_FILE, type ComparisonRow, type SweepIndex, type SweepIndexAxis, type SweepRunStatus } from '../sweep/index.ts';
import { HttpError } from './httpResponses.ts';
import { RunCatalog } from './RunCatalog.ts';
import type { RunListing } from './runListing.ts';
import { runDirectory, runNameProblem } from './runName.ts';
import { readComparison } from './sweepComparison.ts';

/** One row of the sweeps list. */
export interface SweepListing {
  /** Folder name (of the data folder itself when `self`). */
  readonly name: string;
  /** The data folder is this sweep: its runs are the data folder's runs. */
  readonly self: boolean;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly repeats?: number;
  readonly axes: readonly SweepIndexAxis[];
  /** Runs planned, and how many have each sweep.json status. */
  readonly progress: { readonly planned: number } & Partial<Record<SweepRunStatus, number>>;
  /** comparison.json written (the sweep was replayed). */
  readonly compared: boolean;
  /** Why sweep.json could not be read (still listed). */
  readonly problem?: string;
}

/** A sweep's run: sweep.json's entry, with the run folder's row when it exists. */
export interface SweepRun {
  readonly name: string;
  readonly axisValues: Readonly<Record<string, unknown>>;
  readonly repeat: number;
  readonly status: SweepRunStatus;
  readonly run?: RunListing;
}

/** A chart of the comparison: chart.js configuration (callbacks and plugins put back by the page). */
export interface ServedF1Chart {
  readonly file: string;
  readonly config: unknown;
}

/** GET /api/sweeps/{name}. */
export interface SweepSummary extends SweepListing {
  readonly path: string;
  readonly inject?: SweepIndex['inject'];
  readonly runs: readonly SweepRun[];
  /** comparison.json's rows and axes, with the F1 charts drawn from them; null before a replay. */
  readonly comparison: null | {
    readonly createdAt?: string;
    readonly axes: readonly SweepIndexAxis[];
    readonly withInject: boolean;
    readonly rows: readonly ComparisonRow[];
    readonly charts: readonly ServedF1Chart[];
    readonly problem?: string;
  };
}

const MAX_CACHED_SWEEPS = 16;

/** The sweeps under the data folder (folders holding sweep.json), or the data folder itself when it is one. */
export class SweepCatalog {
  private readonly root: string;
  private readonly catalogs = new Map<string, RunCatalog>();

  constructor(
    readonly dataDir: string,
    private readonly rootCatalog: RunCatalog,
  ) {
    this.root = resolve(dataDir);
  }

  async list(): Promise<SweepListing[]> {
    const sweeps: SweepListing[] = [];
    if (await isSweep(this.root)) sweeps.push(await this.listing(basename(this.root), this.root, true));
    let names: string[] = [];
    try {
      names = (await readdir(this.root, { withFileTypes: true })).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT' && (e as { code?: string }).code !== 'ENOTDIR') throw e;
    }
    for (const n of names.filter((x) => runNameProblem(x) === undefined).sort()) {
      const dir = join(this.root, n);
      if (await isSweep(dir)) sweeps.push(await this.listing(n, dir, false));
    }
    return sweeps;
  }

  /** The sweep `name`: a folder of the data folder holding sweep.json, or the data folder itself. */
  async summary(name: string): Promise<SweepSummary> {
    const { dir, self } = await this.locate(name);
    const index = this.index(dir);
    const listing = summarise(name, self, index);
    const catalog = self ? this.rootCatalog : this.runs(name, dir);
    const listed = new Map((await catalog.list()).runs.map((r) => [r.name, r]));
    const runs = index.runs.map((r) => ({ name: r.name, axisValues: r.axisValues, repeat: r.repeat, status: r.status, ...(listed.has(r.name) ? { run: listed.get(r.name)! } : {}) }));
    return { ...listing, path: self ? this.dataDir : join(this.dataDir, name), ...(index.inject ? { inject: index.inject } : {}), runs, comparison: await readComparison(dir) };
  }

  /** The runs of a sweep that is a folder of the data folder, served like the data folder's own. */
  async runCatalog(name: string): Promise<RunCatalog> {
    const { dir, self } = await this.locate(name);
    return self ? this.rootCatalog : this.runs(name, dir);
  }

  private runs(name: string, dir: string): RunCatalog {
    let catalog = this.catalogs.get(dir);
    if (!catalog) {
      catalog = new RunCatalog(join(this.dataDir, name));
      this.catalogs.set(dir, catalog);
      if (this.catalogs.size > MAX_CACHED_SWEEPS) this.catalogs.delete(this.catalogs.keys().next().value!);
    }
    return catalog;
  }

  private async locate(name: string): Promise<{ dir: string; self: boolean }> {
    const problem = runNameProblem(name);
    if (problem === undefined) {
      const dir = runDirectory(this.root, name);
      if (await isSweep(dir)) return { dir, self: false };
    }
    if (name === basename(this.root) && (await isSweep(this.root))) return { dir: this.root, self: true };
    if (problem !== undefined) throw new HttpError(400, `${problem.replace('run name', 'sweep name')} (got ${JSON.stringify(name.slice(0, 80))})`);
    throw new HttpError(404, `no sweep named ${JSON.stringify(name)} in ${this.dataDir} (a sweep is a folder holding ${SWEEP_INDEX_FILE})`);
  }

  private index(dir: string): SweepIndex {
    try {
      return readSweepIndex(dir);
    } catch (e) {
      if (e instanceof UserError) throw new HttpError(422, e.message.split(`${this.root}/`).join(''));
      throw e;
    }
  }

  private async listing(name: string, dir: string, self: boolean): Promise<SweepListing> {
    const compared = await stat(join(dir, 'comparison.json')).then(() => true, () => false);
    try {
      return { ...summarise(name, self, readSweepIndex(dir)), compared };
    } catch (e) {
      return { name, self, axes: [], progress: { planned: 0 }, compared, problem: (e as Error).message.split(`${this.root}/`).join('') };
    }
  }
}

const isSweep = (dir: string) => stat(join(dir, SWEEP_INDEX_FILE)).then((s) => s.isFile(), () => false);

function summarise(name: string, self: boolean, index: SweepIndex): SweepListing {
  const progress: Record<string, number> = { planned: index.runs.length };
  for (const r of index.runs) progress[r.status] = (progress[r.status] ?? 0) + 1;
  return { name, self, createdAt: index.createdAt, updatedAt: index.updatedAt, repeats: index.repeats, axes: index.axes, progress: progress as SweepListing['progress'], compared: false };
}
