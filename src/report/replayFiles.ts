import { z } from 'zod';
import { UserError } from '../errors.ts';

// The replay outputs the report reads (run-format.md "replay/"), checked loosely: the
// fields the report shows are typed, everything else is kept and ignored.

// JSON has no NaN: a writer may put null (or leave the field out) where a rate is undefined.
const num = z.number().nullable().optional();

export const detectorSummarySchema = z.looseObject({
  tp: num,
  fp: num,
  tn: num,
  fn: num,
  tpr: num,
  fpr: num,
  precision: num,
  f1: num,
  auc: num,
  uncalibratedIntervals: num,
  uncalibratedAttackIntervals: num,
  events: z.looseObject({ detected: num, total: num, meanDelaySeconds: num }).optional(),
  blame: z.looseObject({ alarms: z.number(), onPath: z.number() }).optional(),
  blameWithoutPath: z.number().optional(),
  operatingPoints: z.array(z.looseObject({ fpr: z.number(), threshold: z.number().nullable(), tpr: z.number().nullable(), achievedFpr: z.number().nullable() })).optional(),
  fprInterval95: z.tuple([z.number(), z.number()]).nullable().optional(),
  tprInterval95: z.tuple([z.number(), z.number()]).nullable().optional(),
  falseAlarmPromise: z.looseObject({ rate: z.number(), judgedIntervals: z.number(), episodes: z.number(), p: z.number() }).optional(),
});

export const replaySummarySchema = z.looseObject({
  run: z.string().optional(),
  intervals: num,
  scoredIntervals: num,
  attackIntervals: num,
  detectors: z.record(z.string(), detectorSummarySchema),
});

export type DetectorSummary = z.infer<typeof detectorSummarySchema>;
export type ReplaySummary = z.infer<typeof replaySummarySchema>;

/** Check a parsed summary.json; the message names the file and the first bad field. */
export function decodeSummary(value: unknown, file: string): ReplaySummary {
  const parsed = replaySummarySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  throw new UserError(`${file}: ${field}: ${issue?.message ?? 'invalid'}`);
}

/** An edge an alert blames. */
export interface AlertEdge {
  readonly src: string;
  readonly dst: string;
  readonly metric?: string;
  readonly score: number;
}

/** One line of alerts.ndjson: an alarm and the edges its detector blames. */
export interface AlertLine {
  readonly t: number;
  readonly detector: string;
  readonly blamed: readonly AlertEdge[];
}

/** A number as alerts.ndjson writes it: a number, or "Infinity"/"-Infinity"/"NaN" as text; NaN when absent. */
export function alertNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'Infinity' || v === '-Infinity' || v === 'NaN') return Number(v);
  return Number.NaN;
}

/**
 * A parsed alerts.ndjson line → AlertLine. Only `t` and `detector` are required; blamed
 * entries without a src and dst name are ignored.
 */
export function decodeAlert(value: unknown, where: string): AlertLine {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${where}: expected a JSON object`);
  const o = value as Record<string, unknown>;
  const t = o['t'];
  const detector = o['detector'];
  if (typeof t !== 'number' || !Number.isFinite(t)) throw new UserError(`${where}: t: expected Unix seconds (got ${JSON.stringify(t) ?? 'nothing'})`);
  if (typeof detector !== 'string') throw new UserError(`${where}: detector: expected a name (got ${JSON.stringify(detector) ?? 'nothing'})`);
  const blamed: AlertEdge[] = [];
  if (Array.isArray(o['blamed'])) {
    for (const b of o['blamed'] as unknown[]) {
      if (b === null || typeof b !== 'object') continue;
      const e = b as Record<string, unknown>;
      if (typeof e['src'] !== 'string' || typeof e['dst'] !== 'string') continue;
      const score = alertNumber(e['score']);
      blamed.push(typeof e['metric'] === 'string' ? { src: e['src'], dst: e['dst'], metric: e['metric'], score } : { src: e['src'], dst: e['dst'], score });
    }
  }
  return { t, detector, blamed };
}
