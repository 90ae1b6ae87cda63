import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import type { SweepPlan } from './planSweep.ts';
import type { ResolvedAxis, ResolvedInjection } from './resolveSweep.ts';
import { schemaProblems } from '../config/index.ts';
import { parseJsonFile } from '../store/jsonSyntaxError.ts';

/** The format string of sweep.json (README "Sweeps"). */
export const SWEEP_FORMAT = 'munnin-sweep/1';
export const SWEEP_INDEX_FILE = 'sweep.json';

/** `pending`: not started; `running`: being recorded (or the process died); `interrupted`: stopped, run.json complete: false. */
export type SweepRunStatus = 'pending' | 'running' | 'complete' | 'interrupted' | 'failed';

export interface SweepIndexRun {
  /** Folder of the run inside the sweep folder. */
  readonly name: string;
  /** Experiment-side axis values of the run. */
  readonly axisValues: Readonly<Record<string, unknown>>;
  /** 1-based. */
  readonly repeat: number;
  readonly status: SweepRunStatus;
}

/** An axis as sweep.json records it (labels and segments are derived again when it is read). */
export type SweepIndexAxis = Pick<ResolvedAxis, 'name' | 'path' | 'side' | 'values'>;

/** sweep.json: what the sweep is and how far it got. Readers ignore fields they do not know. */
export interface SweepIndex {
  readonly format: typeof SWEEP_FORMAT;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly repeats: number;
  /** Every axis, both sides, in definition order. */
  readonly axes: readonly SweepIndexAxis[];
  /** Replay-time synthetic exfiltration rates, when the sweep defines them. */
  readonly inject?: ResolvedInjection | undefined;
  /** Resolved base parameters (before axis values; `name` and `outputDir` left out). */
  readonly base: Readonly<Record<string, unknown>>;
  /** Experiment-side runs, in the order they are recorded. */
  readonly runs: readonly SweepIndexRun[];
}

/** An axis as sweep.json and comparison.json record it. */
export const sweepAxisSchema = z.looseObject({ name: z.string().min(1), path: z.string().min(1), side: z.enum(['experiment', 'detector']), values: z.array(z.unknown()).min(1) });

const indexSchema = z.looseObject({
  format: z.literal(SWEEP_FORMAT),
  name: z.string().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
  repeats: z.number().int().positive(),
  axes: z.array(sweepAxisSchema),
  inject: z
    .looseObject({
      bytesPerInterval: z.array(z.number().positive()).min(1),
      at: z.array(z.looseObject({ startSeconds: z.number(), endSeconds: z.number() })).min(1),
      path: z.array(z.string()).optional(),
      metrics: z.array(z.string()).optional(),
    })
    .optional(),
  base: z.record(z.string(), z.unknown()),
  runs: z.array(
    z.looseObject({
      name: z.string().regex(/^[^/\\]+$/, 'a folder name').refine((n) => n !== '.' && n !== '..', 'a folder name'),
      axisValues: z.record(z.string(), z.unknown()),
      repeat: z.number().int().positive(),
      status: z.enum(['pending', 'running', 'complete', 'interrupted', 'failed']),
    }),
  ),
});

/** Whether `dir` holds a sweep (a sweep.json), as opposed to a single run. */
export function isSweepDir(dir: string): boolean {
  return existsSync(join(dir, SWEEP_INDEX_FILE));
}

/** Read and check a sweep folder's sweep.json; problems are user errors naming the field. */
export function readSweepIndex(dir: string): SweepIndex {
  const file = join(dir, SWEEP_INDEX_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new UserError(code === 'ENOENT' ? `${file}: not found (is ${dir} a sweep folder?)` : `${file}: cannot be read: ${(e as Error).message}`);
  }
  // Hand-edited sometimes (a sweep's runs removed): where a mistake is, on one line.
  const value = parseJsonFile(text, file);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${file}: expected a JSON object (a ${SWEEP_FORMAT} index)`);
  // Fields bare (`updatedAt: missing …`) after the file's path, not `sweep.json.updatedAt`.
  const { data, problems } = schemaProblems(indexSchema, value, '');
  if (data === undefined) throw new UserError(`${file}: not a valid ${SWEEP_FORMAT} index:\n  ${problems.join('\n  ')}`);
  return data as SweepIndex;
}

/** Write sweep.json atomically (a crash never leaves half an index). */
export function writeSweepIndex(dir: string, index: SweepIndex): void {
  const file = join(dir, SWEEP_INDEX_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(index, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The base parameters as recorded: where and under what name runs go belong to the sweep. */
export function recordedBase(plan: SweepPlan): Record<string, unknown> {
  const { name: _name, outputDir: _outputDir, ...rest } = plan.sweep.base;
  return rest;
}

/** A fresh index for a plan, every run with the status given. */
export function buildSweepIndex(plan: SweepPlan, status: (run: string) => SweepRunStatus, createdAt: string): SweepIndex {
  const { sweep } = plan;
  return {
    format: SWEEP_FORMAT,
    name: sweep.name,
    createdAt,
    updatedAt: new Date().toISOString(),
    repeats: sweep.repeats,
    axes: sweep.axes.map((a) => ({ name: a.name, path: a.path, side: a.side, values: a.values })),
    inject: sweep.inject,
    base: recordedBase(plan),
    runs: plan.runs.map((r) => ({ name: r.name, axisValues: r.axisValues, repeat: r.repeat, status: status(r.name) })),
  };
}
