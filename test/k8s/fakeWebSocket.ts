// The server side of a WebSocket, just enough for Kubernetes' exec channel protocol
// (v4.channel.k8s.io): complete the handshake, send binary frames, close.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface ServerWebSocket {
  /** The subprotocol agreed (the first one the client offered that we support). */
  readonly protocol: string;
  /** Send one binary message. */
  send(payload: Buffer): void;
  /** Send a close frame (1000) and end the connection. */
  close(): void;
}

/** Accept an upgrade request; answers 400 (and returns undefined) when it is not a channel WebSocket. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, supported: readonly string[] = ['v4.channel.k8s.io']): ServerWebSocket | undefined {
  const key = req.headers['sec-websocket-key'];
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const protocol = offered.find((p) => supported.includes(p));
  if (typeof key !== 'string' || !protocol) {
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    return undefined;
  }
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
  );
  // Client frames (at most its close frame) are read and dropped.
  socket.on('data', () => {});
  socket.on('error', () => {});
  return {
    protocol,
    send: (payload) => socket.write(frame(0x2, payload)),
    close: () => {
      const code = Buffer.alloc(2);
      code.writeUInt16BE(1000);
      socket.end(frame(0x8, code));
    },
  };
}

/** One unmasked, final frame (servers never mask). */
function frame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  let header: Buffer;
  if (n < 126) {
    header = Buffer.from([0x80 | opcode, n]);
  } else if (n < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(n, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([header, payload]);
}
