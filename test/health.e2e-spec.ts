import { once } from 'node:events';
import { connect, Socket } from 'node:net';
import request from 'supertest';
import { ADAPTERS, startTestApp, TestApp } from './helpers/test-app.js';
import { waitFor, withTimeout } from './helpers/wait.js';

interface HealthBody {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string }>;
}

/** A WebSocket peer that completes the upgrade and then never answers, holding the drain open. */
async function stubbornPeer(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await withTimeout(once(socket, 'connect'), 'tcp connect');
  socket.write(
    'GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  const [head] = (await withTimeout(once(socket, 'data'), 'upgrade response')) as [Buffer];
  expect(head.toString()).toMatch(/^HTTP\/1\.1 101/);
  return socket;
}

describe.each(ADAPTERS)('health on %s', (adapter) => {
  let server: TestApp;
  let closed: boolean;

  beforeEach(async () => {
    server = await startTestApp(adapter);
    closed = false;
  });

  afterEach(async () => {
    if (!closed) await server.close();
  });

  it('answers liveness, readiness and /health with 200 and no caching', async () => {
    const live = await request(server.url).get('/health/live').expect(200);
    expect((live.body as HealthBody).status).toBe('ok');
    expect(live.headers['cache-control']).toContain('no-store');
    for (const path of ['/health/ready', '/health']) {
      const ready = await request(server.url).get(path).expect(200);
      expect(ready.body as HealthBody).toMatchObject({ status: 'ok', info: { relay: { status: 'up' } } });
    }
  });

  it('reports not ready with 503 while shutting down, and stays live', async () => {
    const peer = await stubbornPeer(server.url);
    const closing = server.app.close();
    closed = true;
    try {
      await waitFor(
        async () => (await request(server.url).get('/health/ready')).status === 503,
        'readiness 503',
      );
      const ready = await request(server.url).get('/health/ready').expect(503);
      // Terminus says "shutting_down" once the drain has begun, "error" just before it.
      expect(ready.body as HealthBody).toMatchObject({
        status: expect.stringMatching(/^(error|shutting_down)$/) as string,
        error: { relay: { status: 'down' } },
      });
      await request(server.url).get('/health').expect(503);
      await request(server.url).get('/health/live').expect(200);
    } finally {
      peer.destroy();
      await withTimeout(closing, 'app close');
    }
  });
});
