import type { IncomingMessage, ServerResponse } from 'node:http';
import { toJson, BASE_HEADERS } from './httpResponses.ts';
import type { LiveHub, LiveMessage } from './LiveHub.ts';

export interface LiveStreamOptions {
  /** Comment line sent this often so proxies and browsers keep the connection (default 15000). */
  readonly heartbeatMillis?: number;
  /** A client this far behind (bytes queued) is dropped rather than buffered without end (default 8 MiB). */
  readonly maxQueuedBytes?: number;
}

/**
 * Server-Sent Events: `state` (everything so far) on connect, then `begin`, `snapshot`,
 * `verdict`, `event` and `end` as they happen. Each `data:` is one line of JSON (JSON never
 * holds a raw newline). Returns a function that ends the stream (server shutdown).
 */
export function liveStream(req: IncomingMessage, res: ServerResponse, hub: LiveHub, options: LiveStreamOptions = {}): () => void {
  const maxQueued = options.maxQueuedBytes ?? 8 << 20;
  res.writeHead(200, { ...BASE_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let open = true;
  const send = (type: string, data: unknown) => {
    if (!open) return;
    if (res.writableLength > maxQueued) {
      stop();
      return;
    }
    res.write(`event: ${type}\ndata: ${toJson(data)}\n\n`);
  };
  res.write('retry: 2000\n\n');
  send('state', hub.state());
  const unsubscribe = hub.subscribe((m) => send(m.type, payload(m)));
  const heartbeat = setInterval(() => {
    if (open) res.write(': ping\n\n');
  }, options.heartbeatMillis ?? 15_000);
  heartbeat.unref();
  function stop(): void {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  }
  req.on('close', stop);
  res.on('error', stop);
  return stop;
}

function payload(m: LiveMessage): unknown {
  switch (m.type) {
    case 'begin':
      return m.info;
    case 'snapshot':
      return m.snapshot;
    case 'verdict':
      return m.verdict;
    case 'event':
      return m.event;
    case 'end':
      return m.end;
  }
}
