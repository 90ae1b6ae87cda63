import { STATUS_CODES } from 'node:http';

// Istio's request/response sizes are header bytes plus body bytes as the proxy sees them.
// Both proxies of a call compute them from the same wire head, so the source and the
// destination reporter agree to the byte.

/** Outgoing header lines as Node writes them: one `name: value` line per value. */
export type HeaderList = readonly (readonly [string, string | readonly string[]])[];

function headerLinesBytes(headers: HeaderList): number {
  let n = 0;
  for (const [name, value] of headers) {
    const values = typeof value === 'string' ? [value] : value;
    for (const v of values) n += Buffer.byteLength(name) + 2 + Buffer.byteLength(v) + 2;
  }
  return n;
}

/** Raw header pairs as Node's parser received them ([name, value, name, value, ...]). */
function rawHeadersBytes(raw: readonly string[]): number {
  let n = 0;
  for (let i = 0; i + 1 < raw.length; i += 2) n += Buffer.byteLength(raw[i] as string) + 2 + Buffer.byteLength(raw[i + 1] as string) + 2;
  return n;
}

/** Request line plus headers plus the blank line, as sent. */
export function requestHeadBytes(method: string, path: string, headers: HeaderList): number {
  return Buffer.byteLength(`${method} ${path} HTTP/1.1\r\n`) + headerLinesBytes(headers) + 2;
}

/** Request line plus headers plus the blank line, as received. */
export function receivedRequestHeadBytes(method: string, url: string, httpVersion: string, rawHeaders: readonly string[]): number {
  return Buffer.byteLength(`${method} ${url} HTTP/${httpVersion}\r\n`) + rawHeadersBytes(rawHeaders) + 2;
}

/** Status line plus headers plus the blank line, as sent (Node's standard reason phrase). */
export function responseHeadBytes(status: number, headers: HeaderList): number {
  return Buffer.byteLength(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`) + headerLinesBytes(headers) + 2;
}

/** Status line plus headers plus the blank line, as received. */
export function receivedResponseHeadBytes(httpVersion: string, status: number, statusMessage: string, rawHeaders: readonly string[]): number {
  return Buffer.byteLength(`HTTP/${httpVersion} ${status} ${statusMessage}\r\n`) + rawHeadersBytes(rawHeaders) + 2;
}
