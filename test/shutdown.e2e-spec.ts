import request from 'supertest';
import { ADAPTERS, startApp, TestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { eventually, within } from './support/wait.js';

describe.each(ADAPTERS)('graceful shutdown on %s', (adapter) => {
  it('refuses new work, lets pending requests finish, fails the rest, closes holders with 1001', async () => {
    const t = await startApp(adapter, { SHUTDOWN_GRACE_MS: '2500' });
    const holder = await TestHolder.connect(t.ws);
    await eventually(() => t.signing.isConnected(holder.publicKey), 3000, 'the holder');
    holder.answer = 'silent';
    const sign = (message: string): Promise<request.Response> =>
      request(t.http)
        .post('/sign')
        .send({ publicKey: holder.publicKey, message, timeoutMs: 10_000 })
        .then((r) => r);

    const answered = sign('ZmluaXNo');
    const abandoned = sign('bmV2ZXI=');
    await eventually(() => holder.received.length === 2, 3000, 'two requests');
    const closing = t.close();
    await eventually(() => !t.signing.isAccepting, 1000, 'draining');

    expect(t.signing.isReady).toBe(false);
    await expect(t.signing.sendToSign(holder.publicKey, Buffer.from('late'))).rejects.toMatchObject({
      code: 'shutting_down',
    });

    holder.send(`ZmluaXNo.${holder.signature(Buffer.from('finish')).toString('base64')}`);
    expect((await within(answered, 2000, 'the finished request')).status).toBe(200);
    expect((await within(abandoned, 6000, 'the abandoned request')).body).toMatchObject({
      statusCode: 503,
      error: 'shutting_down',
    });
    expect(await holder.waitClosed()).toEqual({ code: 1001, reason: 'server shutting down' });
    await closing;
    expect(t.signing.pendingCount()).toBe(0);
  });
});

describe.each(ADAPTERS)('per-address limits behind a proxy on %s', (adapter) => {
  /** A holder whose request carries `X-Forwarded-For: entries` (the client writes the left part). */
  const through = (t: TestApp, ...entries: string[]): TestHolder =>
    new TestHolder(t.ws, { headers: { 'X-Forwarded-For': entries.join(', ') } });
  /** Resolves once the holder has been let in and has proven its key. */
  const admitted = async (holder: TestHolder): Promise<void> => {
    await holder.open();
    holder.send(holder.publicKey);
    await holder.proven();
  };

  it.each([
    ['true', []],
    ['2', ['10.0.0.1']],
  ])('with TRUST_PROXY=%s, counts the entry the trusted proxies appended', async (trust, proxies) => {
    const t = await startApp(adapter, { MAX_CONNECTIONS_PER_IP: '1', TRUST_PROXY: trust });
    const a = through(t, '198.51.100.7', '203.0.113.1', ...proxies);
    const b = through(t, '198.51.100.7', '203.0.113.2', ...proxies);
    const again = through(t, '192.0.2.99', '203.0.113.1', ...proxies);
    try {
      await admitted(a);
      // The same forged entry from another client does not count against the first.
      await admitted(b);
      // A new forged entry does not hide the same client.
      expect((await again.waitClosed()).code).toBe(1013);
    } finally {
      await Promise.all([a, b, again].map((h) => h.close().catch(() => undefined)));
      await t.close();
    }
  });

  it('counts the peer address when TRUST_PROXY is off', async () => {
    const t = await startApp(adapter, { MAX_CONNECTIONS_PER_IP: '1', TRUST_PROXY: 'false' });
    const a = through(t, '203.0.113.1');
    const b = through(t, '203.0.113.2');
    try {
      await admitted(a);
      expect((await b.waitClosed()).code).toBe(1013);
    } finally {
      await Promise.all([a, b].map((h) => h.close().catch(() => undefined)));
      await t.close();
    }
  });
});
