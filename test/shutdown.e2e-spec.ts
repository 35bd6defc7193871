import request from 'supertest';
import { ADAPTERS, startApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { eventually, within } from './support/wait.js';

describe.each(ADAPTERS)('graceful shutdown on %s', (adapter) => {
  it('refuses new work with 503, lets pending requests finish, fails the rest, closes holders with 1001', async () => {
    const t = await startApp(adapter, { SHUTDOWN_GRACE_MS: '600' });
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

    const refused = await sign('bGF0ZQ==');
    expect(refused.body).toMatchObject({ statusCode: 503, error: 'shutting_down' });
    const newcomer = new TestHolder(t.ws);
    expect((await newcomer.waitClosed()).code).toBe(1001);

    holder.send(`ZmluaXNo.${holder.signature(Buffer.from('finish')).toString('base64')}`);
    expect((await within(answered, 2000, 'the finished request')).status).toBe(200);
    expect((await within(abandoned, 3000, 'the abandoned request')).body).toMatchObject({
      statusCode: 503,
      error: 'shutting_down',
    });
    expect(await holder.waitClosed()).toEqual({ code: 1001, reason: 'server shutting down' });
    await closing;
    expect(t.signing.pendingCount()).toBe(0);
  });
});

describe('per-address limits behind a proxy', () => {
  it('counts X-Forwarded-For addresses only when TRUST_PROXY is set', async () => {
    for (const trust of [true, false]) {
      const t = await startApp('express', { MAX_CONNECTIONS_PER_IP: '1', TRUST_PROXY: String(trust) });
      const open = (ip: string): TestHolder =>
        new TestHolder(t.ws, { headers: { 'X-Forwarded-For': `${ip}, 10.0.0.1` } });
      const a = open('203.0.113.1');
      await a.open();
      const b = open('203.0.113.2');
      if (trust) {
        await b.open();
        const again = open('203.0.113.1');
        expect((await again.waitClosed()).code).toBe(1013);
      } else {
        expect((await b.waitClosed()).code).toBe(1013);
      }
      await Promise.all([a, b].map((h) => h.close().catch(() => undefined)));
      await t.close();
    }
  });
});
