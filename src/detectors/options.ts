import { z } from 'zod';
import { schemaProblems } from '../config/index.ts';
import { UserError } from '../errors.ts';
import type { MetricKey } from '../types.ts';

/** The byte metrics of the run format; a volume detector sums those present, per edge, by default. */
export const BYTE_METRICS: readonly MetricKey[] = ['request_bytes', 'response_bytes', 'tcp_sent_bytes', 'tcp_received_bytes'];

/** The count metrics of the run format: what a run holds when it has no byte metric (a converted connection log). */
export const COUNT_METRICS: readonly MetricKey[] = ['requests', 'tcp_connections'];

/**
 * What a detector watching the default `metrics` watches instead on a run that has none of
 * them: the count metrics for the byte metrics (a run with only `requests` is still judged,
 * on requests, rather than scored 0 throughout), and the byte metrics for the count metrics
 * (`midas` on a run that recorded only bytes). Undefined for any other list: metrics the user
 * chose are kept (a warning says when none of them appear).
 */
export function fallbackMetrics(metrics: readonly MetricKey[]): readonly MetricKey[] | undefined {
  const same = (list: readonly MetricKey[]) => metrics.length === list.length && list.every((m) => metrics.includes(m));
  if (same(BYTE_METRICS)) return COUNT_METRICS;
  if (same(COUNT_METRICS)) return BYTE_METRICS;
  return undefined;
}

/** Metric keys a volume detector watches. */
export const metricsOption = () => z.array(z.string().min(1)).min(1).default([...BYTE_METRICS]);

/** `sum`: one series per edge, the watched metrics added up; `separate`: one series per edge and metric. */
export const combineOption = () => z.enum(['sum', 'separate']).default('sum');

/**
 * What a univariate chart watches per edge: `volume` (default), its bytes; `load-adjusted`, its
 * bytes with what the load explains taken out (the load regression `cusum` and `path` watch;
 * README "The volume charts on load-adjusted volumes").
 */
export const chartSeriesOption = () => z.enum(['volume', 'load-adjusted']).default('volume');

/** The `series` option of a univariate chart's schema (ewma, control-chart), documented once. */
export const chartSeriesFields = () => ({
  /** `volume` (default): each edge's bytes; `load-adjusted`: its bytes with what the load explains taken out (README "The volume charts on load-adjusted volumes"). */
  series: chartSeriesOption(),
});

/** The rule between `series` and `combine` (a schema's superRefine): the load regression is of each edge's summed volume. */
export function checkChartSeries(o: { readonly series: string; readonly combine: string }, ctx: z.RefinementCtx): void {
  if (o.series === 'load-adjusted' && o.combine !== 'sum') {
    ctx.addIssue({ code: 'custom', path: ['series'], message: `"load-adjusted" regresses each edge's summed volume on the load; it cannot be combined with combine: "${o.combine}" (use "sum")` });
  }
}

/** `upper`: alarm only on excess traffic (an exfiltration adds bytes); `both`: on any departure. */
export const sidesOption = (fallback: 'upper' | 'both') => z.enum(['upper', 'both']).default(fallback);

/** `none`: the limit is k; `bonferroni`: k raised with the number of series watched (see FamilyLimit). */
export const multipleComparisonsOption = () => z.enum(['none', 'bonferroni']).default('none');

export const positiveNumber = () => z.number().finite().positive();
export const nonNegativeNumber = () => z.number().finite().nonnegative();

/** An ordered pair of node names. */
export const edgeSchema = z.object({ src: z.string().min(1), dst: z.string().min(1) }).strict();
export type EdgeRef = z.output<typeof edgeSchema>;

/**
 * One line per problem, each naming the field under `prefix`
 * (e.g. `detectors.options.ewma.lambda: Too big: expected number to be <=1 (got 1.5)`).
 */
export function optionProblems(schema: z.ZodType, input: unknown, prefix: string, unknownKey = 'unknown option'): { problems: string[]; data?: unknown } {
  return schemaProblems(schema, input ?? {}, prefix, unknownKey);
}

/** Validate one detector's options and apply their defaults, or throw a UserError naming every bad field. */
export function parseDetectorOptions<S extends z.ZodType>(detector: string, schema: S, input: unknown): z.output<S> {
  const { problems, data } = optionProblems(schema, input, `detectors.options.${detector}`);
  if (problems.length > 0) throw new UserError(`invalid detector options:\n  ${problems.join('\n  ')}`);
  return data as z.output<S>;
}
