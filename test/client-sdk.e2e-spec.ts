import { secp256k1 } from '@noble/curves/secp256k1.js';
import request from 'supertest';
import WebSocket from 'ws';
import type { HolderRequest, SigSocketHolderOptions } from '../src/client/index.js';
import { SigSocketHolder } from '../src/client/index.js';
import { HolderSession } from '../src/gateway/holder-session.js';
import { SessionLink } from '../src/gateway/session-link.js';
import { V2HolderLink } from '../src/gateway/v2-holder-link.js';
import { RegistryService } from '../src/registry/registry.service.js';
import { verifies, untilConnected } from './support/sign-check.js';
import { ADAPTERS, startApp, type TestApp } from './support/test-app.js';
import { eventually, within } from './support/wait.js';

const SIGN_TIMEOUT_MS = 5000;

describe.each(ADAPTERS)('client SDK against the real server (%s)', (adapter) => {
  let t: TestApp;
  const holders: SigSocketHolder[] = [];

  beforeAll(async () => {
    t = await startApp(adapter);
  });

  afterAll(async () => {
    await Promise.all(holders.map((holder) => within(holder.close(), 5000, 'a holder to close')));
    await t.close();
  });

  async function connectHolder(options: Partial<SigSocketHolderOptions> = {}): Promise<SigSocketHolder> {
    const holder = new SigSocketHolder({
      url: t.ws,
      secretKey: secp256k1.utils.randomSecretKey(),
      WebSocket,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      ...options,
    });
    holders.push(holder);
    holder.start();
    await within(holder.ready(), 5000, 'the holder to be ready');
    await untilConnected(t.http, holder.publicKey);
    return holder;
  }

  function sign(publicKey: string, message: Uint8Array): request.Test {
    return request(t.http)
      .post('/sign')
      .send({ publicKey, message: Buffer.from(message).toString('base64'), timeoutMs: SIGN_TIMEOUT_MS });
  }

  it('proves possession and serves POST /sign with a valid signature', async () => {
    const states: string[] = [];
    const holder = await connectHolder({ onStateChange: (state) => states.push(state) });
    expect(states).toEqual(['connecting', 'proving', 'ready']);
    const message = Buffer.from('transfer 5 to bob');
    const res = await sign(holder.publicKey, message).expect(200);
    expect(res.body).toMatchObject({ publicKey: holder.publicKey, message: message.toString('base64') });
    expect(verifies((res.body as { signature: string }).signature, message, holder.publicKey)).toBe(true);
  });

  it('is reachable by POST /sign as soon as ready() resolves, every time', async () => {
    for (let i = 0; i < 20; i++) {
      const holder = new SigSocketHolder({
        url: t.ws,
        secretKey: secp256k1.utils.randomSecretKey(),
        WebSocket,
      });
      try {
        await within(holder.start().ready(), 5000, 'the holder to be ready');
        // In the same turn: the server registered the key before it said ready.
        expect(t.app.get(RegistryService).get(holder.publicKey)).toBeDefined();
        await sign(holder.publicKey, Buffer.from(`right away ${i}`)).expect(200);
      } finally {
        await holder.close();
      }
    }
  });

  it('declines through approve: 409 rejected with the reason', async () => {
    const holder = await connectHolder({
      approve: ({ message }) => Buffer.from(message).toString() !== 'drain the account' || 'not this one',
    });
    const res = await sign(holder.publicKey, Buffer.from('drain the account')).expect(409);
    expect(res.body).toMatchObject({ error: 'rejected', message: 'not this one' });
    await sign(holder.publicKey, Buffer.from('a harmless note')).expect(200);
  });

  it('reconnects by itself after the server drops its socket, and serves again', async () => {
    const closes: number[] = [];
    const holder = await connectHolder({ onClose: (code) => closes.push(code) });
    const link = t.app.get(RegistryService).get(holder.publicKey);
    const session = link instanceof SessionLink ? link.session : undefined;
    if (!(session instanceof HolderSession)) throw new Error('the holder has no live session');
    session.socket.terminate();
    await eventually(() => closes.length > 0, 5000, 'the holder to see the drop');
    expect(closes).toEqual([1006]);
    await within(holder.ready(), 5000, 'the holder to be ready again');
    await untilConnected(t.http, holder.publicKey);
    const message = Buffer.from('after the reconnect');
    const res = await sign(holder.publicKey, message).expect(200);
    expect(verifies((res.body as { signature: string }).signature, message, holder.publicKey)).toBe(true);
    expect(holder.stopped).toBe(false);
  });

  it('asks once for a request sent again after a reconnect, and answers it on the new connection', async () => {
    const asked: HolderRequest[] = [];
    let decide: (verdict: boolean) => void = () => undefined;
    const holder = await connectHolder({
      approve: (request) => {
        asked.push(request);
        return asked.length > 1 || new Promise<boolean>((resolve) => (decide = resolve));
      },
    });
    const message = Buffer.from('asked once');
    const pending = sign(holder.publicKey, message).then((r) => r);
    await eventually(() => asked.length === 1, 5000, 'the prompt');
    const link = t.app.get(RegistryService).get(holder.publicKey);
    if (!(link instanceof SessionLink) || !(link.session instanceof HolderSession))
      throw new Error('no session');
    link.session.socket.terminate();
    await eventually(
      () => t.app.get(RegistryService).get(holder.publicKey) !== link,
      5000,
      'a new connection',
    );
    await within(holder.ready(), 5000, 'the holder to be ready again');
    const again = t.app.get(RegistryService).get(holder.publicKey);
    if (!(again instanceof V2HolderLink)) throw new Error('the holder should speak v2');
    expect(again.size).toBe(1);
    // The holder's answer to anything after the re-sent request proves it has read that one.
    await sign(holder.publicKey, Buffer.from('after the reconnect')).expect(200);
    expect(asked).toHaveLength(2);
    expect(asked[1].id).not.toBe(asked[0].id);
    decide(true);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(verifies((res.body as { signature: string }).signature, message, holder.publicKey)).toBe(true);
  });
});
