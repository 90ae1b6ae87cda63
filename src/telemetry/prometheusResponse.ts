import { z } from 'zod';

// prometheus-query types every answer as `any` and throws plain objects. Bodies are checked
// here before the library reads them, and its failures are turned into short messages
// built only from fields known to be safe: the raw thrown objects carry the request
// configuration, Authorization header included, so they are never printed.

const SAMPLE_VALUE = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]?Inf)$/;

/** Body of a successful /api/v1/query answer with an instant vector. */
export const instantVectorBody = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        value: z.tuple([z.number().finite(), z.string().regex(SAMPLE_VALUE, 'a sample value')]),
      }),
    ),
  }),
  warnings: z.array(z.string()).optional(),
});

/** What prometheus-query makes of an instant vector (InstantVector[]), typed. */
export const instantVectorResult = z.object({
  resultType: z.literal('vector'),
  result: z.array(z.object({ metric: z.object({ labels: z.record(z.string(), z.string()) }), value: z.object({ value: z.number() }) })),
});

export type InstantVectorResult = z.output<typeof instantVectorResult>;

/** A body that is not the answer asked for. */
export class MalformedPrometheusResponse extends Error {
  override readonly name = 'MalformedPrometheusResponse';
}

/** Throws MalformedPrometheusResponse naming the first thing wrong with a /query body. */
export function checkInstantVectorBody(body: unknown): void {
  if (typeof body !== 'object' || body === null) {
    throw new MalformedPrometheusResponse(`malformed answer: expected a JSON object, got ${typeof body === 'string' ? `text ${JSON.stringify(body.slice(0, 80))}` : typeof body}`);
  }
  const checked = instantVectorBody.safeParse(body);
  if (checked.success) return;
  const issue = checked.error.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : 'body';
  throw new MalformedPrometheusResponse(`malformed answer at ${path}: ${issue?.message ?? 'invalid'}`);
}

/** The failure of one HTTP request, made from an axios error without its request configuration. */
export class PrometheusRequestError extends Error {
  override readonly name = 'PrometheusRequestError';
}

/**
 * For prometheus-query's response interceptor: an axios error (duck-typed: axios belongs
 * to prometheus-query, not to us) becomes a PrometheusRequestError with a short message.
 */
export function requestFailure(thrown: unknown, timeoutMillis: number): PrometheusRequestError {
  const ax = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as { code?: unknown; message?: unknown; response?: { status?: unknown; data?: unknown } };
  const status = ax.response?.status;
  if (typeof status === 'number') {
    const data = ax.response?.data;
    const error = typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : data;
    const detail = typeof error === 'string' ? error.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
    return new PrometheusRequestError(`HTTP ${status}${detail ? `: ${detail}` : ''}`);
  }
  if (ax.code === 'ECONNABORTED' || ax.code === 'ETIMEDOUT') return new PrometheusRequestError(`no answer within ${timeoutMillis} ms`);
  if (ax.code === 'ECONNREFUSED') return new PrometheusRequestError('connection refused');
  return new PrometheusRequestError(typeof ax.code === 'string' ? ax.code : 'network failure');
}

/** A short, secret-free message for anything an instant query threw. */
export function describePrometheusFailure(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown !== 'object' || thrown === null) return String(thrown);
  const o = thrown as Record<string, unknown>;
  // prometheus-query wraps what the interceptors threw as `original`.
  if (o['original'] instanceof Error) return o['original'].message;
  const parts: string[] = [];
  if (typeof o['httpStatus'] === 'number') parts.push(`HTTP ${o['httpStatus']}`);
  else if (typeof o['errorType'] === 'string') parts.push(o['errorType']);
  if (typeof o['error'] === 'string') parts.push(o['error'].replace(/\s+/g, ' ').slice(0, 200));
  return parts.length > 0 ? parts.join(': ') : 'unexpected failure';
}
