import { PrometheusDriver } from 'prometheus-query';
import type { InstantQueryOptions } from './createInstantQuery.ts';
import { requestFailure } from './prometheusResponse.ts';
import { prometheusBaseUrl } from './prometheusUrl.ts';

/**
 * A prometheus-query driver for instant and range queries alike: every answer's body goes
 * through `checkBody` (zod) before the library hands it on, because the library types answers
 * as `any` and throws plain objects; every failure becomes a short Error saying what went wrong
 * (requestFailure), without the request's headers. A local endpoint is never reached through
 * an HTTP(S)_PROXY from the environment.
 */
export function checkedPrometheusDriver(options: InstantQueryOptions, checkBody: (body: unknown) => void): PrometheusDriver {
  const { auth, timeoutMillis } = options;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(options.endpoint.hostname);
  return new PrometheusDriver({
    endpoint: prometheusBaseUrl(options.endpoint),
    baseURL: '/api/v1/',
    headers: auth.headers,
    ...(auth.basic ? { auth: auth.basic } : {}),
    timeout: timeoutMillis,
    requestInterceptor: {
      onFulfilled: (config) => (loopback ? Object.assign(config, { proxy: false }) : config),
    },
    responseInterceptor: {
      onFulfilled: (response) => {
        checkBody(response.data);
        return response;
      },
      onRejected: (e: unknown) => Promise.reject(requestFailure(e, timeoutMillis)),
    },
  });
}
