import request from 'supertest';
import { get, RawClient, WS_UPGRADE } from './support/raw-client.js';
import { ADAPTERS, startApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { eventually, within } from './support/wait.js';

const sign = (http: string, publicKey: string, message: string): Promise<request.Response> =>
  request(http)
    .post('/sign')
    .send({ publicKey, message, timeoutMs: 10_000 })
    .then((r) => r);

const readiness = async (http: string): Promise<number> => (await request(http).get('/health/ready')).status;

/** Splits a raw request in two: the first part leaves the socket busy, not idle. */
const halves = (text: string): [string, string] => [text.slice(0, 20), text.slice(20)];

describe.each(ADAPTERS)('graceful shutdown steps on %s', (adapter) => {
  it('fails readiness at once, then serves requests and holders for SHUTDOWN_DELAY_MS', async () => {
    const delayMs = 1500;
    const t = await startApp(adapter, { SHUTDOWN_DELAY_MS: String(delayMs), SHUTDOWN_GRACE_MS: '500' });
    const holder = await TestHolder.registered(t.ws);
    let late: TestHolder | undefined;
    try {
      expect(await readiness(t.http)).toBe(200);
      const started = Date.now();
      const closing = t.close();
      await eventually(async () => (await readiness(t.http)) === 503, 1000, 'readiness to fail');
      expect((await request(t.http).get('/health/live')).status).toBe(200);
      expect((await sign(t.http, holder.publicKey, 'ZHVyaW5n')).status).toBe(200);
      late = await TestHolder.registered(t.ws);
      expect((await sign(t.http, late.publicKey, 'bGF0ZQ==')).status).toBe(200);
      expect(t.signing.isAccepting).toBe(true);
      expect(Date.now() - started).toBeLessThan(delayMs);

      await within(closing, delayMs + 5000, 'the shutdown');
      expect(Date.now() - started).toBeGreaterThanOrEqual(delayMs);
      expect((await holder.waitClosed()).code).toBe(1001);
      expect((await late.waitClosed()).code).toBe(1001);
    } finally {
      await holder.close().catch(() => undefined);
      await late?.close().catch(() => undefined);
    }
  });

  it('then closes the listener and idle sockets, refuses requests and upgrades on open sockets with 503', async () => {
    const t = await startApp(adapter, { SHUTDOWN_GRACE_MS: '5000' });
    const holder = await TestHolder.registered(t.ws, 'silent');
    const idle = await RawClient.open(t.http);
    const [postStart, postRest] = halves(
      'POST /sign HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    );
    const [upgradeStart, upgradeRest] = halves(WS_UPGRADE);
    const busy = await RawClient.open(t.http);
    const upgrading = await RawClient.open(t.http);
    try {
      idle.write(get('/health/live'));
      await idle.waitFor('"status":"ok"');
      busy.write(postStart);
      upgrading.write(upgradeStart);
      const pending = sign(t.http, holder.publicKey, 'aW5mbGlnaHQ=');
      await eventually(() => holder.received.length === 1, 3000, 'the request at the holder');

      const closing = t.close();
      await eventually(() => !t.signing.isAccepting, 1000, 'the drain');
      await idle.closed(2000);
      await expect(RawClient.open(t.http)).rejects.toThrow();

      busy.write(postRest);
      await busy.closed(2000);
      expect(busy.status()).toBe(503);
      expect(busy.received).toMatch(/\r\nconnection: close\r\n/i);
      expect(busy.received).toContain('"error":"shutting_down"');

      upgrading.write(upgradeRest);
      await upgrading.closed(2000);
      expect(upgrading.status()).toBe(503);
      expect(upgrading.received).not.toContain(' 101 ');

      holder.send(`aW5mbGlnaHQ=.${holder.signature(Buffer.from('inflight')).toString('base64')}`);
      const answered = await within(pending, 3000, 'the in-flight request');
      expect(answered.status).toBe(200);
      expect(answered.headers.connection).toBe('close');
      await within(closing, 5000, 'the shutdown');
    } finally {
      [idle, busy, upgrading].forEach((client) => client.destroy());
      await holder.close().catch(() => undefined);
    }
  });
});
