import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { ControlPlane } from '../../src/mesh/ControlPlane.ts';
import { MeshHttpClient } from '../../src/mesh/MeshHttpClient.ts';
import { Sidecar } from '../../src/mesh/Sidecar.ts';
import { listen, startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';
import { parseExposition, total } from './exposition.ts';

// Istio's sizes are header plus body bytes. With identity encoding these are exactly the
// bytes on the wire, which a raw socket at the other end can count independently.

describe('request and response sizes equal the bytes on the wire', () => {
  let mesh: EmbeddedMesh;
  before(async () => {
    mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 5, catalogueItems: 8 });
  });
  after(() => mesh.stop());

  it('destination reporter: an outside caller on a fresh connection', async () => {
    const body = JSON.stringify({ username: 'wire', password: 'bytes', email: 'w@example.com' });
    const socketBytes = await new Promise<{ written: number; read: number }>((resolve, reject) => {
      const req = request(`${mesh.frontEndUrl}/register`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          const s = req.socket as Socket;
          // The server closes (Connection: close) after the response; wait for it so every byte is read.
          s.once('close', () => resolve({ written: s.bytesWritten, read: s.bytesRead }));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
    const samples = parseExposition(await (await fetch(mesh.scrapeTargets[0]?.url ?? '')).text());
    const from = { reporter: 'destination', source_workload: 'unknown' };
    assert.equal(total(samples, 'istio_request_bytes_sum', from), socketBytes.written);
    assert.equal(total(samples, 'istio_response_bytes_sum', from), socketBytes.read);
  });
});

describe('source reporter sizes', () => {
  let server: Server;
  let port = 0;
  const received: number[] = [];
  const sent: number[] = [];
  before(async () => {
    const reply = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\nX-Extra: yes\r\n\r\nhello world';
    server = createServer((socket) => {
      let n = 0;
      socket.on('data', (chunk) => {
        n += chunk.length;
        if (chunk.includes('\r\n\r\nabc')) {
          received.push(n);
          sent.push(Buffer.byteLength(reply));
          socket.end(reply);
        }
      });
    });
    port = await listen(server);
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('count exactly what the client wrote and read, for a call leaving the mesh', async () => {
    const sidecar = new Sidecar('user', 'sock-shop');
    const client = new MeshHttpClient(sidecar, new ControlPlane(), new Set());
    try {
      const r = await client.callExternal(`http://127.0.0.1:${port}/upload?x=1`, 'POST', { body: 'abc', contentType: 'text/plain' });
      assert.equal(r.body.toString(), 'hello world');
      const samples = parseExposition(await sidecar.metrics.expose());
      const to = { reporter: 'source', destination_service_name: 'PassthroughCluster' };
      assert.equal(total(samples, 'istio_request_bytes_sum', to), received[0]);
      assert.equal(total(samples, 'istio_response_bytes_sum', to), sent[0]);
      assert.equal(total(samples, 'istio_requests_total', { ...to, response_code: '200' }), 1);
    } finally {
      client.close();
    }
  });

  it('refuses calls to services outside its edges', async () => {
    const client = new MeshHttpClient(new Sidecar('payment', 'sock-shop'), new ControlPlane(), new Set());
    await assert.rejects(client.call('user-db', 'GET', '/'), /payment has no edge to user-db/);
  });
});
