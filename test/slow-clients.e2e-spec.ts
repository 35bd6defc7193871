import request from 'supertest';
import { sampleValue } from './support/metrics-text.js';
import { RawClient, WS_UPGRADE } from './support/raw-client.js';
import { ADAPTERS, useTestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { within } from './support/wait.js';

const HEADERS_TIMEOUT_MS = 500;
const REQUEST_TIMEOUT_MS = 1000;
const HANDSHAKE_TIMEOUT_MS = 300;
/** Node checks the HTTP timeouts about once a second; the close wait after a close frame is a second. */
const SLACK_MS = 1500;

describe.each(ADAPTERS)('slow clients on %s', (adapter) => {
  const t = useTestApp(adapter, {
    HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    HANDSHAKE_TIMEOUT_MS: String(HANDSHAKE_TIMEOUT_MS),
  });
  const clients: RawClient[] = [];
  const open = async (): Promise<RawClient> => {
    const client = await RawClient.open(t.http);
    clients.push(client);
    return client;
  };
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  it('closes a connection whose headers come a byte at a time, after HTTP_HEADERS_TIMEOUT_MS', async () => {
    const client = await open();
    const start = performance.now();
    client.dribble('GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 0123456789', 50);
    const elapsed = (await client.closed(HEADERS_TIMEOUT_MS + SLACK_MS)) - start;
    expect(elapsed).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(client.status()).toBe(408);
  });

  it('closes a connection whose body comes a byte at a time, after HTTP_REQUEST_TIMEOUT_MS', async () => {
    const client = await open();
    const start = performance.now();
    client.write(
      'POST /sign HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
    );
    client.dribble('{"message":"AAAA', 50);
    const elapsed = (await client.closed(REQUEST_TIMEOUT_MS + SLACK_MS)) - start;
    expect(elapsed).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(client.status()).toBe(408);
  });

  it('terminates a WebSocket that stays silent, soon after the handshake timeout', async () => {
    const client = await open();
    client.write(WS_UPGRADE);
    await client.waitFor('\r\n\r\n');
    expect(client.status()).toBe(101);
    const upgraded = performance.now();
    // The client never answers the server's close frame.
    const elapsed = (await client.closed(HANDSHAKE_TIMEOUT_MS + SLACK_MS)) - upgraded;
    expect(elapsed).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 50);
    const metrics = (await request(t.http).get('/metrics').expect(200)).text;
    expect(sampleValue(metrics, 'sigsocket_handshake_failures_total', { reason: 'timeout' })).toBeGreaterThan(
      0,
    );
  });

  it('leaves a holder, and a sign request waiting for it, alone past the request timeout', async () => {
    const holder = t.track(await TestHolder.registered(t.ws));
    holder.answer = 'silent';
    const message = Buffer.from('a slow answer');
    const pending = request(t.http)
      .post('/sign')
      .send({ publicKey: holder.publicKey, message: message.toString('base64'), timeoutMs: 10_000 })
      .then((res) => res);
    await holder.nextRequest();
    await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS + SLACK_MS));
    holder.send(`${message.toString('base64')}.${holder.signature(message).toString('base64')}`);
    expect((await within(pending, 3000, 'the signature')).status).toBe(200);
  });

  it('still serves a request that arrives in time', async () => {
    const client = await open();
    client.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await client.closed(3000);
    expect(client.status()).toBe(200);
  });
});
