import { PrometheusDriver } from 'prometheus-query';
import type { PrometheusAuth } from './prometheusAuth.ts';
import { checkInstantVectorBody, instantVectorResult, requestFailure, type InstantVectorResult } from './prometheusResponse.ts';
import { prometheusBaseUrl } from './prometheusUrl.ts';

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
  const { auth, timeoutMillis } = options;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(options.endpoint.hostname);
  const driver = new PrometheusDriver({
    endpoint: prometheusBaseUrl(options.endpoint),
    baseURL: '/api/v1/',
    headers: auth.headers,
    ...(auth.basic ? { auth: auth.basic } : {}),
    timeout: timeoutMillis,
    requestInterceptor: {
      // A local endpoint is never reached through an HTTP(S)_PROXY from the environment.
      onFulfilled: (config) => (loopback ? Object.assign(config, { proxy: false }) : config),
    },
    responseInterceptor: {
      onFulfilled: (response) => {
        checkInstantVectorBody(response.data);
        return response;
      },
      onRejected: (e: unknown) => Promise.reject(requestFailure(e, timeoutMillis)),
    },
  });
  return async (expr, atSeconds) => {
    const raw: unknown = await driver.instantQuery(expr, atSeconds * 1000, `${timeoutMillis}ms`);
    return instantVectorResult.parse(raw).result;
  };
}
