import { SECRET_HEADER } from '../config/index.ts';
import { UserError } from '../errors.ts';

export interface PrometheusAuthOptions {
  /** Name of the environment variable holding a bearer token (never the token itself). */
  readonly bearerTokenEnv?: string;
  /** Basic-auth user name. */
  readonly basicAuthUser?: string;
  /** Name of the environment variable holding the basic-auth password. */
  readonly basicAuthPasswordEnv?: string;
  /** Extra request headers, e.g. { 'X-Scope-OrgID': 'tenant-1' } for Grafana Mimir. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Extra headers whose values are secrets: header name → environment variable holding the value. */
  readonly headersFromEnv?: Readonly<Record<string, string>>;
  /** Environment the secrets are read from. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface PrometheusAuth {
  /** Headers for every request (Authorization included when a token is used). */
  readonly headers: Record<string, string>;
  readonly basic?: { readonly username: string; readonly password: string };
  /** `text` with every secret replaced by `***`, for anything that may be shown or logged. */
  redact(text: string): string;
}


/** The request headers of `auth` for a plain fetch (the query driver sends `basic` itself). */
export function authHeaders(auth: PrometheusAuth): Record<string, string> {
  const headers = { ...auth.headers };
  if (auth.basic) headers['Authorization'] = `Basic ${Buffer.from(`${auth.basic.username}:${auth.basic.password}`).toString('base64')}`;
  return headers;
}

/** Credentials from the environment variables the parameters name; secrets stay out of messages. */
export function prometheusAuth(options: PrometheusAuthOptions): PrometheusAuth {
  const env = options.env ?? process.env;
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const secrets: string[] = Object.entries(headers)
    .filter(([name]) => SECRET_HEADER.test(name))
    .map(([, value]) => value);
  const fromEnv = (field: string, name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new UserError(`telemetry.prometheus.${field} names the environment variable ${name}, which is not set`);
    secrets.push(value);
    return value;
  };
  for (const [header, variable] of Object.entries(options.headersFromEnv ?? {})) headers[header] = fromEnv(`headersFromEnv.${header}`, variable);
  let basic: PrometheusAuth['basic'];
  if (options.bearerTokenEnv !== undefined) {
    if (options.basicAuthUser !== undefined || options.basicAuthPasswordEnv !== undefined) {
      throw new UserError('telemetry.prometheus: use either bearerTokenEnv or basicAuthUser/basicAuthPasswordEnv, not both');
    }
    headers['Authorization'] = `Bearer ${fromEnv('bearerTokenEnv', options.bearerTokenEnv)}`;
  } else if (options.basicAuthUser !== undefined || options.basicAuthPasswordEnv !== undefined) {
    if (options.basicAuthUser === undefined || options.basicAuthPasswordEnv === undefined) {
      throw new UserError('telemetry.prometheus: basic auth needs both basicAuthUser and basicAuthPasswordEnv');
    }
    const password = fromEnv('basicAuthPasswordEnv', options.basicAuthPasswordEnv);
    basic = { username: options.basicAuthUser, password };
    secrets.push(Buffer.from(`${options.basicAuthUser}:${password}`).toString('base64'));
  }
  const hidden = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  return {
    headers,
    ...(basic ? { basic } : {}),
    redact: (text) => hidden.reduce((out, secret) => out.split(secret).join('***'), text),
  };
}
