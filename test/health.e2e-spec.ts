import { once } from 'node:events';
import { connect, Socket } from 'node:net';
import request from 'supertest';
import { ADAPTERS, startApp, TestApp } from './support/test-app.js';
import { eventually, within } from './support/wait.js';

interface HealthBody {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string }>;
}

/** A WebSocket peer that completes the upgrade and then never answers, holding the drain open. */
async function stubbornPeer(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await within(once(socket, 'connect'), 5000, 'the TCP connection');
  socket.write(
    'GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  const [head] = (await within(once(socket, 'data'), 5000, 'the upgrade response')) as [Buffer];
  expect(head.toString()).toMatch(/^HTTP\/1\.1 101/);
  return socket;
}

describe.each(ADAPTERS)('health on %s', (adapter) => {
  let t: TestApp;
  let closed: boolean;

  beforeEach(async () => {
    t = await startApp(adapter);
    closed = false;
  });

  afterEach(async () => {
    if (!closed) await t.close();
  });

  it('answers liveness, readiness and /health with 200 and no caching', async () => {
    const live = await request(t.http).get('/health/live').expect(200);
    expect((live.body as HealthBody).status).toBe('ok');
    expect(live.headers['cache-control']).toContain('no-store');
    for (const path of ['/health/ready', '/health']) {
      const ready = await request(t.http).get(path).expect(200);
      expect(ready.body as HealthBody).toMatchObject({ status: 'ok', info: { relay: { status: 'up' } } });
    }
  });

  it('reports not ready with 503 while shutting down, and stays live', async () => {
    await t.close();
    // The delay keeps the listener open while readiness fails.
    t = await startApp(adapter, { SHUTDOWN_DELAY_MS: '3000' });
    const peer = await stubbornPeer(t.http);
    const closing = t.app.close();
    closed = true;
    try {
      await eventually(
        async () => (await request(t.http).get('/health/ready')).status === 503,
        5000,
        'readiness to report 503',
      );
      const ready = await request(t.http).get('/health/ready').expect(503);
      // Terminus says "shutting_down" once the drain has begun, "error" just before it.
      expect(ready.body as HealthBody).toMatchObject({
        status: expect.stringMatching(/^(error|shutting_down)$/) as string,
        error: { relay: { status: 'down' } },
      });
      await request(t.http).get('/health').expect(503);
      await request(t.http).get('/health/live').expect(200);
    } finally {
      peer.destroy();
      await within(closing, 8000, 'the app to close');
    }
  });
});
