import request from 'supertest';
import WebSocket from 'ws';
import { maxFrameBytes } from '../src/gateway/sigsocket-ws.adapter.js';
import { ADAPTERS, useTestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { eventually, within } from './support/wait.js';

const API_KEY = 'k'.repeat(24);

describe.each(ADAPTERS)('trust and limits on %s', (adapter) => {
  const t = useTestApp(adapter, {
    API_KEYS: `other-key-0123456789,${API_KEY}`,
    ALLOWED_ORIGINS: 'https://app.example',
    MAX_MESSAGE_BYTES: '1024',
    MAX_PENDING_PER_KEY: '3',
    MAX_CONNECTIONS_PER_IP: '6',
    RECONNECT_GRACE_MS: '1500',
  });
  const connect = async (): Promise<TestHolder> => {
    const holder = await TestHolder.connect(t.ws);
    t.track(holder);
    await eventually(() => t.signing.isConnected(holder.publicKey), 3000, 'the holder');
    return holder;
  };
  const auth = { Authorization: `Bearer ${API_KEY}` };
  const sign = (body: object, headers: Record<string, string> = auth): request.Test =>
    request(t.http).post('/sign').set(headers).send(body);

  describe('proof of possession', () => {
    it('counts a key as connected only after its challenge signature verifies', async () => {
      const holder = new TestHolder(t.ws);
      t.track(holder);
      holder.proof = 'silent';
      await holder.open();
      holder.send(holder.publicKey);
      await eventually(() => holder.challenges.length === 1, 3000, 'the challenge');
      const challenge = Buffer.from(holder.challenges[0], 'base64');
      expect(challenge.toString('latin1')).toMatch(/^sigsocket:challenge:/);
      expect(challenge.length).toBeGreaterThanOrEqual('sigsocket:challenge:'.length + 32);
      expect(await t.signing.isConnected(holder.publicKey)).toBe(false);
      holder.send(`${holder.challenges[0]}.${holder.signature(challenge).toString('base64')}`);
      await eventually(() => t.signing.isConnected(holder.publicKey), 3000, 'the proof');
    });

    it('closes with 1008 on a wrong proof', async () => {
      const holder = new TestHolder(t.ws);
      t.track(holder);
      holder.proof = 'wrong-key';
      await holder.open();
      holder.send(holder.publicKey);
      expect(await holder.waitClosed()).toEqual({ code: 1008, reason: 'proof of possession failed' });
    });

    it('refuses messages that start with sigsocket: (400)', async () => {
      const holder = await connect();
      const message = Buffer.from('sigsocket:challenge:xyz').toString('base64');
      const res = await sign({ publicKey: holder.publicKey, message }).expect(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
      await expect(t.signing.sendToSign(holder.publicKey, Buffer.from('sigsocket:'))).rejects.toMatchObject({
        code: 'invalid_request',
      });
    });
  });

  describe('API keys', () => {
    it.each([
      ['no header', {}],
      ['a wrong key', { Authorization: 'Bearer wrong-key-0123456789' }],
      ['another scheme', { Authorization: `Basic ${API_KEY}` }],
    ])('answers 401 unauthorized with WWW-Authenticate for %s', async (_, headers) => {
      for (const path of ['/status', `/connected/02${'11'.repeat(32)}`]) {
        const res = await request(t.http).get(path).set(headers).expect(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(res.body).toMatchObject({ statusCode: 401, error: 'unauthorized' });
      }
      const res = await sign({ publicKey: 'x', message: 'AA==' }, headers).expect(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('accepts any configured key', async () => {
      await request(t.http).get('/status').set(auth).expect(200);
      await request(t.http).get('/status').set({ Authorization: 'Bearer other-key-0123456789' }).expect(200);
    });
  });

  describe('origins', () => {
    const upgrade = (origin?: string): Promise<number> =>
      within(
        new Promise<number>((resolve) => {
          const socket = new WebSocket(t.ws, origin === undefined ? {} : { origin });
          socket.once('open', () => {
            socket.close();
            resolve(101);
          });
          socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          socket.once('error', () => undefined);
        }),
        3000,
        'the upgrade',
      );

    it('refuses an upgrade from an origin not in ALLOWED_ORIGINS with 403', async () => {
      expect(await upgrade('https://evil.example')).toBe(403);
      expect(await upgrade('https://app.example')).toBe(101);
      expect(await upgrade()).toBe(101);
    });
  });

  describe('limits', () => {
    it('413 message_too_large above MAX_MESSAGE_BYTES (decoded) and for oversized bodies', async () => {
      const holder = await connect();
      await sign({ publicKey: holder.publicKey, message: Buffer.alloc(1024, 1).toString('base64') }).expect(
        200,
      );
      const over = await sign({
        publicKey: holder.publicKey,
        message: Buffer.alloc(1025).toString('base64'),
      });
      expect(over.status).toBe(413);
      expect(over.body).toMatchObject({ error: 'message_too_large' });
      const huge = await sign({
        publicKey: holder.publicKey,
        message: Buffer.alloc(64_000).toString('base64'),
      });
      expect(huge.body).toEqual({
        statusCode: 413,
        error: 'message_too_large',
        message: expect.any(String) as string,
      });
    });

    it('closes a holder sending a frame over the cap with 1009', async () => {
      const holder = await connect();
      holder.send(`${'A'.repeat(maxFrameBytes(1024))}.AAAA`);
      expect((await holder.waitClosed()).code).toBe(1009);
    });

    it('429 too_many_pending above MAX_PENDING_PER_KEY', async () => {
      const holder = await connect();
      holder.answer = 'silent';
      const pending = [1, 2, 3].map((i) =>
        sign({ publicKey: holder.publicKey, message: `AA${i}=`, timeoutMs: 400 }),
      );
      const settled = Promise.all(pending.map((p) => p.then((r) => r.status)));
      await eventually(() => t.signing.pendingCount() === 3, 3000, 'three pending');
      const res = await sign({ publicKey: holder.publicKey, message: 'AAQ=' }).expect(429);
      expect(res.body).toMatchObject({ error: 'too_many_pending' });
      expect(await settled).toEqual([504, 504, 504]);
    });

    it('closes connections over MAX_CONNECTIONS_PER_IP with 1013', async () => {
      const fleet = await Promise.all(Array.from({ length: 6 }, () => connect()));
      const extra = new TestHolder(t.ws);
      t.track(extra);
      expect((await extra.waitClosed()).code).toBe(1013);
      await fleet[0]?.close();
      await eventually(async () => (await t.signing.connectionCount()) === 5, 3000, 'a free slot');
      await connect();
    });
  });

  describe('holder declines', () => {
    it('409 rejected at once, with the reason cut to 200 characters', async () => {
      const holder = await connect();
      holder.responder = (frame) =>
        JSON.stringify({ type: 'reject', message: frame, reason: 'é'.repeat(300) });
      const res = await within(
        sign({ publicKey: holder.publicKey, message: 'bm8=', timeoutMs: 5000 }),
        2000,
        '409',
      );
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ statusCode: 409, error: 'rejected', message: 'é'.repeat(200) });
    });

    it('ignores a reject for an unknown message and keeps the connection', async () => {
      const holder = await connect();
      holder.send(JSON.stringify({ type: 'reject', message: 'dW5rbm93bg==', reason: 'no' }));
      await sign({ publicKey: holder.publicKey, message: 'b2s=' }).expect(200);
    });
  });

  describe('reconnect without loss', () => {
    it('re-sends a pending request to the same key when it comes back within the grace period', async () => {
      const first = await connect();
      first.answer = 'silent';
      const pending = sign({ publicKey: first.publicKey, message: 'YWdhaW4=', timeoutMs: 5000 }).then(
        (r) => r,
      );
      await first.nextRequest();
      first.terminate();
      await eventually(async () => !(await t.signing.isConnected(first.publicKey)), 3000, 'the drop');
      const again = new TestHolder(t.ws, { secretKey: first.secretKey });
      t.track(again);
      await again.open();
      again.send(again.publicKey);
      const res = await within(pending, 4000, 'the re-sent request');
      expect(res.status).toBe(200);
      expect(again.received).toEqual(['YWdhaW4=']);
    });

    it('fails with 502 client_disconnected at the end of the grace period', async () => {
      const holder = await connect();
      holder.answer = 'silent';
      const started = Date.now();
      const pending = sign({ publicKey: holder.publicKey, message: 'Z29uZQ==', timeoutMs: 10_000 }).then(
        (r) => r,
      );
      await holder.nextRequest();
      holder.terminate();
      const res = await within(pending, 5000, 'the grace period');
      expect(res.body).toMatchObject({ statusCode: 502, error: 'client_disconnected' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    });
  });

  describe('idempotency', () => {
    it('asks the holder once for repeats, and 422 for the same key with another body', async () => {
      const holder = await connect();
      holder.answer = 'silent';
      const body = { publicKey: holder.publicKey, message: 'b25jZQ==' };
      const key = { ...auth, 'Idempotency-Key': `order-${adapter}-1` };
      const first = sign(body, key).then((r) => r);
      await holder.nextRequest();
      const joined = sign(body, key).then((r) => r);
      await eventually(() => t.signing.pendingCount() === 1, 1000, 'one pending request');
      holder.send(`b25jZQ==.${holder.signature(Buffer.from('once')).toString('base64')}`);
      const [a, b] = await Promise.all([first, joined]);
      expect(a.status).toBe(200);
      expect(b.body).toEqual(a.body);
      const cached = await sign(body, key).expect(200);
      expect(cached.body).toEqual(a.body);
      expect(holder.received).toHaveLength(1);
      const conflict = await sign({ ...body, message: 'dHdv' }, key).expect(422);
      expect(conflict.body).toMatchObject({ error: 'idempotency_conflict' });
    });
  });

  describe('caller goes away', () => {
    it('drops the pending request when the HTTP caller disconnects', async () => {
      const holder = await connect();
      holder.answer = 'silent';
      const controller = new AbortController();
      const call = fetch(`${t.http}/sign`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ publicKey: holder.publicKey, message: 'Ynll', timeoutMs: 10_000 }),
        signal: controller.signal,
      }).catch((error: unknown) => error);
      await holder.nextRequest();
      expect(t.signing.pendingCount()).toBe(1);
      controller.abort();
      await call;
      await eventually(() => t.signing.pendingCount() === 0, 2000, 'the withdrawal');
    });
  });
});
