import type { PrometheusAuth } from './prometheusAuth.ts';
import { checkInstantVectorBody, instantVectorResult, type InstantVectorResult } from './prometheusResponse.ts';
import { checkedPrometheusDriver } from './checkedPrometheusDriver.ts';

export interface InstantQueryOptions {
  /** Prometheus-API base URL (checked by parsePrometheusUrl). */
  readonly endpoint: URL;
  /** Headers and basic credentials for every request. */
  readonly auth: PrometheusAuth;
  /** Time-out of one query, milliseconds (also sent as the query's own `timeout`). */
  readonly timeoutMillis: number;
}

/** One instant query: the vector at `atSeconds` (Unix seconds), validated. */
export type InstantQuery = (expr: string, atSeconds: number) => Promise<InstantVectorResult['result']>;

/**
 * Instant queries through prometheus-query. The library types its answers as `any` and
 * throws plain objects, so every body is checked (zod) before it is believed, and every
 * failure becomes an Error that says what went wrong (requestFailure).
 */
export function createInstantQuery(options: InstantQueryOptions): InstantQuery {
  const { timeoutMillis } = options;
  const driver = checkedPrometheusDriver(options, checkInstantVectorBody);
  return async (expr, atSeconds) => {
    const raw: unknown = await driver.instantQuery(expr, atSeconds * 1000, `${timeoutMillis}ms`);
    return instantVectorResult.parse(raw).result;
  };
}
