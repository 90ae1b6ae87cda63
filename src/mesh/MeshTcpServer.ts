import { createServer, type Socket } from 'node:net';
import { log } from '../logger.ts';
import type { ControlPlane } from './ControlPlane.ts';
import type { TcpLabels } from './istioLabels.ts';
import { encodeLine, LineReader } from './lineReader.ts';
import { closeServer, listen } from './listen.ts';
import type { RunningServer } from './MeshHttpServer.ts';
import type { Sidecar } from './Sidecar.ts';

// The mesh's data-store / queue protocol: newline-delimited JSON over a persistent connection.
//   client → server  {"id": 7, "op": "find", ...arguments}
//   server → client  {"id": 7, "ok": true, "result": ...}   or   {"id": 7, "ok": false, "error": "..."}
//   server → client  {"push": ...}   (unsolicited, e.g. a queue delivery)

/** The client end of one connection, as a handler sees it. */
export interface TcpPeer {
  /** Send an unsolicited message (a queue delivery). */
  push(message: unknown): void;
  /** Called once when the connection closes. */
  onClose(listener: () => void): void;
}

export type TcpHandler = (request: Readonly<Record<string, unknown>>, peer: TcpPeer) => unknown;

export interface MeshTcpServerOptions {
  /** The serving workload's sidecar, reporting connections and bytes with reporter="destination". */
  readonly sidecar: Sidecar;
  readonly controlPlane: ControlPlane;
  readonly handler: TcpHandler;
}

/** Serve a data store or queue on 127.0.0.1, its sidecar counting every byte each way. */
export async function startMeshTcpServer(options: MeshTcpServerOptions): Promise<RunningServer> {
  const { sidecar, controlPlane, handler } = options;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    let labels: TcpLabels | undefined;
    const closeListeners: (() => void)[] = [];
    const write = (message: unknown) => {
      if (socket.destroyed || !labels) return;
      const line = encodeLine(message);
      sidecar.metrics.tcpBytes(labels, line.length, 0);
      socket.write(line);
    };
    const peer: TcpPeer = { push: (message) => write({ push: message }), onClose: (l) => closeListeners.push(l) };
    const reader = new LineReader((line) => {
      let id: unknown = null;
      try {
        const request = JSON.parse(line) as Record<string, unknown>;
        id = request['id'] ?? null;
        Promise.resolve(handler(request, peer)).then(
          (result) => write({ id, ok: true, result }),
          (error: unknown) => write({ id, ok: false, error: error instanceof Error ? error.message : String(error) }),
        );
      } catch (error) {
        write({ id, ok: false, error: `bad request: ${error instanceof Error ? error.message : String(error)}` });
      }
    });
    socket.on('data', (chunk: Buffer) => {
      // The caller is known once it speaks: its connect callback registered it before any
      // of its bytes could reach this turn of the event loop.
      if (!labels) {
        labels = sidecar.inboundTcp(controlPlane.peerOf(socket));
        sidecar.metrics.connectionOpened(labels);
      }
      sidecar.metrics.tcpBytes(labels, 0, chunk.length);
      reader.push(chunk);
    });
    socket.on('error', (error) => log.debug(`${sidecar.workload}: connection error: ${error.message}`));
    socket.on('close', () => {
      sockets.delete(socket);
      if (labels) sidecar.metrics.connectionClosed(labels);
      for (const listener of closeListeners) listener();
    });
  });
  const port = await listen(server);
  return {
    port,
    close: () =>
      closeServer(server, () => {
        for (const s of sockets) s.destroy();
      }),
  };
}
