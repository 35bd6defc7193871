import request from 'supertest';
import WebSocket from 'ws';
import { Subprotocol } from '../src/protocol/v2-frames.js';
import { startApp, type TestApp, useTestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { V2TestHolder } from './support/v2-test-holder.js';
import { eventually, within } from './support/wait.js';

/** The subprotocol the server answers an offer with, or the error a client that offered it got. */
function negotiate(url: string, offer: string[]): Promise<string> {
  return within(
    new Promise<string>((resolve) => {
      const socket = new WebSocket(url, offer);
      socket.once('open', () => {
        resolve(`chose "${socket.protocol}"`);
        socket.close();
      });
      socket.once('error', (error) => resolve(`error: ${error.message}`));
    }),
    3000,
    'the upgrade',
  );
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('WebSocket protocol v2 (express)', () => {
  const t = useTestApp('express', { RECONNECT_GRACE_MS: '2000', HANDSHAKE_TIMEOUT_MS: '1000' });
  const sign = (publicKey: string, text: string, timeoutMs = 5000): request.Test =>
    request(t.http)
      .post('/sign')
      .send({ publicKey, message: b64(text), timeoutMs });
  const registered = async (answer: 'compact' | 'silent' | 'wrong-key' = 'compact'): Promise<V2TestHolder> =>
    t.track(await V2TestHolder.registered(t.ws, answer));

  it('negotiates sigsocket.v2 when offered, sigsocket.v1 when only it is offered, and nothing else', async () => {
    expect(await negotiate(t.ws, [Subprotocol.V2])).toBe('chose "sigsocket.v2"');
    expect(await negotiate(t.ws, [Subprotocol.V1, Subprotocol.V2])).toBe('chose "sigsocket.v2"');
    expect(await negotiate(t.ws, [Subprotocol.V1])).toBe('chose "sigsocket.v1"');
    expect(await negotiate(t.ws, [])).toBe('chose ""');
    expect(await negotiate(t.ws, ['sigsocket.v3'])).toBe('error: Server sent no subprotocol');
  });

  it('a v1 holder that offers sigsocket.v1 speaks v1', async () => {
    const holder = t.track(new TestHolder(t.ws, { protocols: [Subprotocol.V1] }));
    await holder.open();
    holder.send(holder.publicKey);
    await holder.proven();
    expect(holder.protocol).toBe(Subprotocol.V1);
    await sign(holder.publicKey, 'v1 here').expect(200);
  });

  it('sends challenge then ready, and each request with its id, deadline and time left', async () => {
    const holder = await registered();
    expect(holder.frames.map((f) => f.type)).toEqual(['challenge', 'ready']);
    expect(holder.frames[1]).toEqual({ type: 'ready', publicKey: holder.publicKey });
    const before = Date.now();
    const res = await sign(holder.publicKey, 'hello v2', 5000).expect(200);
    const [req] = holder.requests;
    expect(req).toMatchObject({ type: 'sign_request', message: b64('hello v2') });
    expect(req.id).toMatch(/^[\w-]{8,}$/);
    expect(req.deadline).toBeGreaterThanOrEqual(before + 5000);
    expect(req.expiresInMs).toBeGreaterThan(4000);
    expect(req).not.toHaveProperty('caller');
    expect(res.body).toMatchObject({ signature: expect.any(String) as string });
    expect((await request(t.http).get('/status').expect(200)).body).toMatchObject({
      holders: { v1: 0, v2: 1 },
    });
  });

  it('cancels a delivered request that times out, or that its caller withdraws', async () => {
    const holder = await registered('silent');
    await sign(holder.publicKey, 'too slow', 100).expect(504);
    expect(await holder.frame('cancel')).toEqual({
      type: 'cancel',
      id: holder.requests[0].id,
      reason: 'timeout',
    });
    const subscription = t.signing
      .sign$(holder.publicKey, Buffer.from('never mind'))
      .subscribe({ error: () => undefined });
    await holder.nextRequest();
    subscription.unsubscribe();
    expect(await holder.frame('cancel', 1)).toEqual({
      type: 'cancel',
      id: holder.requests[1].id,
      reason: 'withdrawn',
    });
  });

  it('sends an error notice for an invalid signature and for an unknown id, and stays open', async () => {
    const holder = await registered('wrong-key');
    const res = await sign(holder.publicKey, 'forged').expect(502);
    expect(res.body).toMatchObject({ error: 'invalid_signature' });
    expect(await holder.frame('error')).toMatchObject({
      id: holder.requests[0].id,
      code: 'invalid_signature',
    });
    holder.respond(0, holder.signature(Buffer.from('forged')).toString('base64'));
    expect(await holder.frame('error', 1)).toMatchObject({
      id: holder.requests[0].id,
      code: 'unknown_request',
    });
    holder.sendJson({ type: 'reject', id: 'made-up', reason: 'no' });
    expect(await holder.frame('error', 2)).toMatchObject({ id: 'made-up', code: 'unknown_request' });
    await holder.roundTrip();
    expect(holder.frames.filter((f) => f.type === 'cancel')).toEqual([]);
  });

  it('declines by id: 409 with the reason, and no cancel', async () => {
    const holder = await registered('silent');
    const pending = sign(holder.publicKey, 'no thanks').then((r) => r);
    await holder.nextRequest();
    holder.sendJson({ type: 'reject', id: holder.requests[0].id, reason: 'not this one' });
    const res = await pending;
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'rejected', message: 'not this one' });
    await holder.roundTrip();
    expect(holder.frames.map((f) => f.type)).toEqual(['challenge', 'ready', 'sign_request']);
  });

  it('re-sends a pending request to a returning holder with the same id, after ready', async () => {
    const first = await registered('silent');
    const pending = sign(first.publicKey, 'still there?', 10_000).then((r) => r);
    await first.nextRequest();
    first.terminate();
    const again = t.track(new V2TestHolder(t.ws, { secretKey: first.secretKey }));
    await again.open();
    again.hello(again.publicKey);
    await again.nextRequest();
    expect(again.frames.map((f) => f.type)).toEqual(['challenge', 'ready', 'sign_request']);
    expect(again.requests[0].id).toBe(first.requests[0].id);
    again.respond(0, again.signature(Buffer.from('still there?')).toString('base64'));
    expect((await pending).status).toBe(200);
  });

  it('tells the holder an in-process caller name, never in-process or key<N>', async () => {
    const holder = await registered();
    await t.signing.sendToSign(holder.publicKey, Buffer.from('a'), { caller: 'billing' });
    await t.signing.sendToSign(holder.publicKey, Buffer.from('b'));
    await t.signing.sendToSign(holder.publicKey, Buffer.from('c'), { caller: 'key2' });
    await t.signing.sendToSign(holder.publicKey, Buffer.from('d'), { caller: 'billing', showCaller: false });
    expect(holder.requests.map((r) => r.caller)).toEqual(['billing', undefined, undefined, undefined]);
  });

  describe.each([
    ['a proof before hello', [{ type: 'proof', url: 'ws://x/ws', signature: '' }], /expected a hello frame/],
    ['an answer before hello', [{ type: 'sign_response', id: 'a', signature: '' }], /expected a hello frame/],
    ['a frame without type', [{ publicKey: '02' }], /needs a type/],
  ])('closes with 1008 on %s', (_name, frames, reason) => {
    it('with a reason', async () => {
      const holder = t.track(new V2TestHolder(t.ws));
      await holder.open();
      for (const frame of frames) holder.sendJson(frame);
      const closed = await holder.waitClosed();
      expect(closed.code).toBe(1008);
      expect(closed.reason).toMatch(reason);
    });
  });

  it('closes with 1008 on a hello instead of the proof, and on a proof of another URL', async () => {
    const twice = t.track(new V2TestHolder(t.ws));
    twice.proof = 'silent';
    await twice.open();
    twice.hello(twice.publicKey);
    await twice.frame('challenge');
    twice.hello(twice.publicKey);
    expect(await twice.waitClosed()).toEqual({ code: 1008, reason: 'expected a proof frame, got hello' });
    const elsewhere = t.track(new V2TestHolder(t.ws, { proofUrl: 'ws://elsewhere.example/ws' }));
    await elsewhere.open();
    elsewhere.hello(elsewhere.publicKey);
    expect(await elsewhere.waitClosed()).toEqual({ code: 1008, reason: 'proof of possession failed' });
    const wrongKey = t.track(new V2TestHolder(t.ws));
    wrongKey.proof = 'wrong-key';
    await wrongKey.open();
    wrongKey.hello(wrongKey.publicKey);
    expect(await wrongKey.waitClosed()).toEqual({ code: 1008, reason: 'proof of possession failed' });
  });

  it('closes with 1007 on a text frame that is not UTF-8, and 1003 on a binary one', async () => {
    const holder = await registered();
    const raw = (holder as unknown as { socket: WebSocket }).socket;
    raw.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await holder.waitClosed()).code).toBe(1007);
    const other = await registered();
    other.send(Buffer.from([1, 2]));
    expect((await other.waitClosed()).code).toBe(1003);
  });

  it('serves a v1 holder and a v2 holder side by side', async () => {
    const v1 = t.track(await TestHolder.registered(t.ws));
    const v2 = await registered();
    expect((await request(t.http).get('/status').expect(200)).body).toMatchObject({
      holders: { v1: 1, v2: 1 },
    });
    const [a, b] = await Promise.all([sign(v1.publicKey, 'one'), sign(v2.publicKey, 'two')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(v1.received).toEqual([b64('one')]);
    expect(v2.received).toEqual([b64('two')]);
  });
});

describe('protocol v2 callers through API keys', () => {
  const NAMED = 'billing-secret-0123456789';
  const PLAIN = 'plain-secret-0123456789';
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp('fastify', { API_KEYS: `billing=${NAMED},${PLAIN}` });
  });
  afterAll(() => t.close());

  it('names the caller for a named key only', async () => {
    const holder = await V2TestHolder.registered(t.ws);
    try {
      for (const secret of [NAMED, PLAIN]) {
        await request(t.http)
          .post('/sign')
          .set('Authorization', `Bearer ${secret}`)
          .send({ publicKey: holder.publicKey, message: b64(secret.slice(0, 4)) })
          .expect(200);
      }
      expect(holder.requests.map((r) => r.caller)).toEqual(['billing', undefined]);
    } finally {
      await holder.close();
    }
    await eventually(() => t.signing.pendingCount() === 0, 1000, 'no pending requests');
  });
});

describe('protocol v2 at shutdown', () => {
  it('cancels the requests still pending with shutting_down, then closes with 1001', async () => {
    const t = await startApp('express', { SHUTDOWN_GRACE_MS: '200' });
    const holder = await V2TestHolder.registered(t.ws, 'silent');
    const pending = request(t.http)
      .post('/sign')
      .send({ publicKey: holder.publicKey, message: b64('late'), timeoutMs: 10_000 })
      .then((r) => r);
    await holder.nextRequest();
    const closing = t.close();
    expect(await holder.frame('cancel')).toEqual({
      type: 'cancel',
      id: holder.requests[0].id,
      reason: 'shutting_down',
    });
    expect((await pending).body).toMatchObject({ error: 'shutting_down' });
    expect(await holder.waitClosed()).toEqual({ code: 1001, reason: 'server shutting down' });
    await closing;
  });
});
