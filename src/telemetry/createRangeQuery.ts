import { z } from 'zod';
import type { InstantQueryOptions } from './createInstantQuery.ts';
import { MalformedPrometheusResponse } from './prometheusResponse.ts';
import { checkedPrometheusDriver } from './checkedPrometheusDriver.ts';

const SAMPLE_VALUE = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]?Inf)$/;

/** Body of a successful /api/v1/query_range answer. */
const rangeBody = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        values: z.array(z.tuple([z.number().finite(), z.string().regex(SAMPLE_VALUE, 'a sample value')])),
      }),
    ),
  }),
  warnings: z.array(z.string()).optional(),
});

/** What prometheus-query makes of a matrix (RangeVector[]), typed. */
const rangeResult = z.object({
  resultType: z.literal('matrix'),
  result: z.array(z.object({ metric: z.object({ labels: z.record(z.string(), z.string()) }), values: z.array(z.object({ time: z.date(), value: z.number() })) })),
});

/** One series of a range query: its labels and its samples as [Unix seconds (ms-rounded), value]. */
export interface RangeSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: readonly (readonly [number, number])[];
}

/** One range query: every series' samples at start, start + step, ... ≤ end (Unix seconds), validated. */
export type RangeQuery = (expr: string, startSeconds: number, endSeconds: number, stepSeconds: number) => Promise<RangeSeries[]>;

/**
 * Range queries through prometheus-query, checked like the instant ones (createInstantQuery):
 * every body is validated (zod) before it is believed, every failure becomes a short Error
 * without the request's headers.
 */
export function createRangeQuery(options: InstantQueryOptions): RangeQuery {
  const { timeoutMillis } = options;
  const driver = checkedPrometheusDriver(options, checkRangeBody);
  return async (expr, startSeconds, endSeconds, stepSeconds) => {
    const raw: unknown = await driver.rangeQuery(expr, startSeconds * 1000, endSeconds * 1000, stepSeconds, `${timeoutMillis}ms`);
    return rangeResult.parse(raw).result.map((s) => ({
      labels: s.metric.labels,
      points: s.values.map((p) => [Math.round(p.time.getTime()) / 1000, p.value] as const),
    }));
  };
}

function checkRangeBody(body: unknown): void {
  if (typeof body !== 'object' || body === null) {
    throw new MalformedPrometheusResponse(`malformed answer: expected a JSON object, got ${typeof body === 'string' ? `text ${JSON.stringify(body.slice(0, 80))}` : typeof body}`);
  }
  const checked = rangeBody.safeParse(body);
  if (checked.success) return;
  const issue = checked.error.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : 'body';
  throw new MalformedPrometheusResponse(`malformed answer at ${path}: ${issue?.message ?? 'invalid'}`);
}
