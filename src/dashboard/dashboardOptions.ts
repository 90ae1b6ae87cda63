import { UserError } from '../errors.ts';

export const DEFAULT_PORT = 5001;
export const DEFAULT_HOST = '127.0.0.1';

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** A port as given on the command line or in code: a whole number 0-65535 (0 = any free port). */
export function checkPort(value: number | string | undefined, what = 'port'): number {
  if (value === undefined) return DEFAULT_PORT;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!(Number.isInteger(n) && n >= 0 && n <= 65535)) throw new UserError(`${what}: expected a port number from 0 to 65535 (got ${JSON.stringify(value)})`);
  return n;
}

export function checkHost(value: string | undefined, what = 'host'): string {
  if (value === undefined) return DEFAULT_HOST;
  const h = value.trim();
  if (h === '' || /[\s/]/.test(h)) throw new UserError(`${what}: expected an interface address such as 127.0.0.1 or 0.0.0.0 (got ${JSON.stringify(value)})`);
  return h;
}

/** The URL people open for a server bound to host:port. */
export function displayUrl(host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${h}:${port}/`;
}
