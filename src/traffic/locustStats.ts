import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { TrafficStats } from '../types.ts';

// The JSON locust/locustfile.py writes from its `quitting` listener (MUNNIN_STATS_FILE).

const count = () => z.number().int().nonnegative();
const millis = () => z.number().nonnegative().nullable().transform((v) => v ?? 0);

const endpointSchema = z.object({
  method: z.string(),
  name: z.string(),
  requests: count(),
  failures: count(),
  meanResponseMillis: millis(),
  maxResponseMillis: millis(),
  medianResponseMillis: millis().optional(),
  bytesReceived: z.number().nonnegative(),
});

const locustStatsSchema = z.object({
  requests: count(),
  failures: count(),
  startTime: z.number().nullable().optional(),
  lastRequestTime: z.number().nullable().optional(),
  shape: z.string().optional(),
  peakUsers: z.number().optional(),
  loadChanges: z.array(z.object({ t: z.number(), users: count() })).default([]),
  endpoints: z.array(endpointSchema),
  errors: z.array(z.object({ method: z.string(), name: z.string(), error: z.string(), occurrences: count() })).default([]),
});

/** Read and check the statistics Locust wrote; throws an Error naming the file and the problem. */
export function readLocustStats(path: string): TrafficStats {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: cannot read Locust statistics (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = locustStatsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: unexpected Locust statistics at ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`);
  }
  const s = parsed.data;
  return {
    generator: 'locust',
    requests: s.requests,
    failures: s.failures,
    ...(s.shape === undefined ? {} : { shape: s.shape }),
    ...(s.peakUsers === undefined ? {} : { peakUsers: s.peakUsers }),
    statsStartedAt: s.startTime ?? null,
    lastRequestAt: s.lastRequestTime ?? null,
    loadChanges: s.loadChanges,
    endpoints: s.endpoints,
    errors: s.errors,
  };
}
