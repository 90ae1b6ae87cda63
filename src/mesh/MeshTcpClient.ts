import { createConnection, type Socket } from 'node:net';
import { log } from '../logger.ts';
import type { ControlPlane } from './ControlPlane.ts';
import type { TcpLabels } from './istioLabels.ts';
import { encodeLine, LineReader } from './lineReader.ts';
import type { Sidecar } from './Sidecar.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface MeshTcpClientOptions {
  /** Unsolicited messages from the server (queue deliveries). */
  readonly onPush?: (message: unknown) => void;
  /** The connection closed (not by close()). */
  readonly onDisconnect?: () => void;
  /** Per-request time-out. */
  readonly timeoutMillis?: number;
}

/**
 * A workload's persistent connection to a data store or queue, through its sidecar: the
 * caller's proxy reports it with reporter="source" and counts the bytes each way (sent =
 * by the destination, received = by the destination, as Istio names them). Requests are
 * pipelined on the one connection; it reconnects on the next request after a drop.
 */
export class MeshTcpClient {
  private socket: Promise<Socket> | undefined;
  private labels: TcpLabels | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly sidecar: Sidecar,
    private readonly controlPlane: ControlPlane,
    readonly service: string,
    private readonly options: MeshTcpClientOptions = {},
  ) {}

  /** Send `{op, ...args}` and resolve with the server's `result`. */
  async request<T = unknown>(op: string, args: Readonly<Record<string, unknown>> = {}): Promise<T> {
    if (this.closed) throw new Error(`${this.sidecar.workload} → ${this.service}: client closed`);
    const socket = await (this.socket ??= this.connect());
    const labels = this.labels;
    if (!labels || socket.destroyed) throw new Error(`${this.sidecar.workload} → ${this.service}: connection lost`);
    const id = this.nextId++;
    const line = encodeLine({ ...args, id, op });
    return new Promise<T>((resolve, reject) => {
      const timeoutMillis = this.options.timeoutMillis ?? 10_000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.sidecar.workload} → ${this.service} ${op}: no answer within ${timeoutMillis} ms`));
      }, timeoutMillis);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.sidecar.metrics.tcpBytes(labels, 0, line.length);
      socket.write(line);
    });
  }

  /** Close the connection and fail what is still waiting. Idempotent. */
  close(): void {
    this.closed = true;
    void this.socket?.then((s) => s.destroy(), () => undefined);
    this.failAll(new Error(`${this.sidecar.workload} → ${this.service}: client closed`));
  }

  private connect(): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port: this.controlPlane.portOf(this.service) });
      this.controlPlane.adopt(socket, this.sidecar.workload);
      const reader = new LineReader((line) => this.onLine(line));
      socket.once('connect', () => {
        this.labels = this.sidecar.outboundTcp(this.service);
        this.sidecar.metrics.connectionOpened(this.labels);
        resolve(socket);
      });
      socket.on('data', (chunk: Buffer) => {
        if (this.labels) this.sidecar.metrics.tcpBytes(this.labels, chunk.length, 0);
        reader.push(chunk);
      });
      socket.on('error', (error) => {
        log.debug(`${this.sidecar.workload} → ${this.service}: ${error.message}`);
        reject(error);
      });
      socket.on('close', () => {
        if (this.labels) this.sidecar.metrics.connectionClosed(this.labels);
        this.socket = undefined;
        this.labels = undefined;
        this.failAll(new Error(`${this.sidecar.workload} → ${this.service}: connection closed`));
        if (!this.closed) this.options.onDisconnect?.();
      });
    });
  }

  private onLine(line: string): void {
    let message: { id?: number; ok?: boolean; result?: unknown; error?: string; push?: unknown };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      log.debug(`${this.sidecar.workload} → ${this.service}: unreadable line`);
      return;
    }
    if (message.push !== undefined) {
      this.options.onPush?.(message.push);
      return;
    }
    const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
    if (!waiting || message.id === undefined) return;
    this.pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(new Error(`${this.service}: ${message.error ?? 'error'}`));
  }

  private failAll(error: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(error);
      this.pending.delete(id);
    }
  }
}
