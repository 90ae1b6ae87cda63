import { UserError } from '../errors.ts';
import { urlForMessage } from '../urlForMessage.ts';

/** The Prometheus-API base URL from the parameters, checked: http(s), no credentials, no query. */
export function parsePrometheusUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`telemetry.prometheus.url is not a URL: ${JSON.stringify(urlForMessage(text))}`);
  }
  // Shown only through urlForMessage: the text may hold credentials (a password with `/` does not parse).
  if (url.username || url.password) throw new UserError('telemetry.prometheus.url must not hold credentials: use basicAuthUser and basicAuthPasswordEnv');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`telemetry.prometheus.url must be http(s), not ${url.protocol}`);
  if (url.search || url.hash) throw new UserError(`telemetry.prometheus.url must be a base URL without query or fragment: ${JSON.stringify(urlForMessage(text))}`);
  return url;
}

/** The URL as shown and as the driver's endpoint: origin and path, without a trailing slash. */
export function prometheusBaseUrl(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
