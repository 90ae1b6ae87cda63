import type { IncomingMessage, ServerResponse } from 'node:http';
import { toJson, BASE_HEADERS } from './httpResponses.ts';
import type { LiveHub, LiveMessage } from './LiveHub.ts';

export interface LiveStreamOptions {
  /** Comment line sent this often so proxies and browsers keep the connection (default 15000). */
  readonly heartbeatMillis?: number;
  /**
   * Bytes a client may have waiting in its socket's buffer: the backlog and new intervals are
   * written only while less is waiting, so a client that reads slowly is sent slowly and one
   * that stops reading costs at most this much (default 64 KiB, plus one interval).
   */
  readonly bufferBytes?: number;
  /**
   * A client with this much waiting (bytes queued: a client that stopped reading while
   * `begin`, `event` or `end` messages, which are never held back, kept coming) is dropped
   * (default 1 MiB).
   */
  readonly maxQueuedBytes?: number;
  /** Most live streams open at once; more are answered 503 (default 20). */
  readonly maxClients?: number;
}

/** Intervals and verdicts per backlog page. */
const PAGE_ENTRIES = 64;

/**
 * Server-Sent Events: `state` (run info, events, end; no intervals) on connect, then the
 * backlog of `snapshot` and `verdict` messages, paged, then `begin`, `snapshot`, `verdict`,
 * `event` and `end` as they happen. Each `data:` is one line of JSON (JSON never holds a raw
 * newline). Intervals and verdicts are not queued per client: each client holds a cursor into
 * the hub and is written the next page only when its socket has drained, so memory per client
 * is bounded whatever the hub holds and however slowly the client reads. A client that falls
 * behind what the hub keeps is disconnected (a browser reconnects and starts afresh). Returns
 * a function that ends the stream (server shutdown).
 */
export function liveStream(req: IncomingMessage, res: ServerResponse, hub: LiveHub, options: LiveStreamOptions = {}): () => void {
  const maxQueued = options.maxQueuedBytes ?? 1 << 20;
  const bufferBytes = options.bufferBytes ?? 64 << 10;
  res.writeHead(200, { ...BASE_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let open = true;
  let waiting = false;
  let cursor = hub.oldestSeq - 1;
  const frame = (type: string, data: unknown) => `event: ${type}\ndata: ${toJson(data)}\n\n`;
  const sendNow = (type: string, data: unknown) => {
    if (!open) return;
    if (res.writableLength > maxQueued) return stop();
    res.write(frame(type, data));
  };
  // One page of the backlog at a time: the next once the socket has drained (a slow client) or
  // on the next turn of the event loop (a fast one), so other requests are served in between.
  // `now`: write every page the socket takes at once (before a run message, to keep order).
  let scheduled = false;
  const pump = (now = false) => {
    while (open && !waiting && (now || !scheduled)) {
      if (hub.oldestSeq > cursor + 1) return stop();
      const page = hub.entriesAfter(cursor, PAGE_ENTRIES);
      if (page.length === 0) return;
      let chunk = '';
      for (const e of page) {
        chunk += frame(e.type, e.data);
        cursor = e.seq;
        if (chunk.length >= bufferBytes) break;
      }
      if (!res.write(chunk) || res.writableLength >= bufferBytes) {
        waiting = true;
        res.once('drain', () => {
          waiting = false;
          pump();
        });
        return;
      }
      if (!now) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          pump();
        });
        return;
      }
    }
  };
  res.write('retry: 2000\n\n');
  const state = hub.state();
  sendNow('state', { ...state, snapshots: [], verdicts: [] });
  const unsubscribe = hub.subscribe((m) => {
    if (m.type === 'snapshot' || m.type === 'verdict') return pump();
    // A new run empties the hub: the stream goes on from its first interval.
    if (m.type === 'begin') cursor = hub.oldestSeq - 1;
    // What came before it goes first, as far as the client is reading.
    else pump(true);
    sendNow(m.type, payload(m));
  });
  pump();
  const heartbeat = setInterval(() => {
    if (open && !waiting) res.write(': ping\n\n');
  }, options.heartbeatMillis ?? 15_000);
  heartbeat.unref();
  function stop(): void {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
    // A client that does not read would keep its buffer until its socket times out.
    if (res.writableLength > 0) res.destroy();
  }
  req.on('close', stop);
  res.on('error', stop);
  return stop;
}

function payload(m: Exclude<LiveMessage, { type: 'snapshot' | 'verdict' }>): unknown {
  switch (m.type) {
    case 'begin':
      return m.info;
    case 'event':
      return m.event;
    case 'end':
      return m.end;
  }
}
