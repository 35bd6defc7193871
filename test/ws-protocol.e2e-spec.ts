import request from 'supertest';
import { DIALECTS, type ProtocolHolder } from './support/holder-dialects.js';
import { ADAPTERS, useTestApp } from './support/test-app.js';
import { uncompressed } from './support/test-holder.js';
import { eventually, within } from './support/wait.js';
import type { WsTestClient } from './support/ws-test-client.js';

const HEARTBEAT_MS = 150;
const CASES = DIALECTS.flatMap((dialect) =>
  ADAPTERS.map((adapter) => [dialect.version, adapter, dialect] as const),
);

describe.each(CASES)('WebSocket protocol %s on %s', (_version, adapter, dialect) => {
  const t = useTestApp(adapter, {
    HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_MS),
    HANDSHAKE_TIMEOUT_MS: '400',
    RECONNECT_GRACE_MS: '200',
  });
  const connect = async (intro?: (h: WsTestClient) => string): Promise<ProtocolHolder> => {
    const holder = await dialect.connect(t.ws, intro);
    t.track(holder);
    return holder;
  };
  const connected = async (key: string): Promise<boolean> =>
    ((await request(t.http).get(`/connected/${key}`).expect(200)).body as { connected: boolean }).connected;
  const sign = (publicKey: string, message: string, timeoutMs?: number): request.Test =>
    request(t.http).post('/sign').send({ publicKey, message, timeoutMs });
  const introduced = async (holder: ProtocolHolder): Promise<void> =>
    eventually(() => connected(holder.publicKey), 3000, 'the introduction');

  describe('1. introduction', () => {
    it.each([
      ['compressed', (h: WsTestClient) => h.publicKey],
      ['uncompressed', (h: WsTestClient) => uncompressed(h)],
      ['upper case with whitespace', (h: WsTestClient) => `  ${uncompressed(h).toUpperCase()}\n`],
    ])('accepts the %s form as one identity', async (_, form) => {
      const holder = await connect(form);
      await introduced(holder);
      expect(await connected(uncompressed(holder))).toBe(true);
      expect(await connected(holder.publicKey.toUpperCase())).toBe(true);
    });

    it.each([
      ['not hex', 'hello'],
      ['a wrong length', `02${'ab'.repeat(31)}`],
      ['a wrong prefix', `05${'ab'.repeat(32)}`],
      ['a point off the curve', `04${'00'.repeat(64)}`],
      ['x with no point', `02${'ff'.repeat(32)}`],
    ])('closes with 1008 on %s', async (_, intro) => {
      const holder = await connect(() => intro);
      const closed = await holder.waitClosed();
      expect(closed.code).toBe(1008);
      expect(closed.reason).toMatch(/invalid public key: .+/);
    });

    it('closes with 1008 when no introduction arrives in time', async () => {
      const holder = t.track(dialect.create(t.ws));
      await holder.open();
      const closed = await holder.waitClosed(3000);
      expect(closed).toEqual({ code: 1008, reason: expect.stringMatching(/handshake/) as string });
    });
  });

  describe('2-3. sign request and response', () => {
    it('forwards the message as standard base64 and returns the signature as sent', async () => {
      const holder = await connect();
      await introduced(holder);
      const [res, frame] = await Promise.all([
        sign(holder.publicKey, 'aGVsbG8gd29ybGQ='),
        holder.nextRequest(),
      ]);
      expect(frame).toBe('aGVsbG8gd29ybGQ=');
      expect(res.status).toBe(200);
      const sig = holder.signature(Buffer.from('hello world'));
      expect(res.body).toEqual({
        publicKey: holder.publicKey,
        message: frame,
        signature: sig.toString('base64'),
        signatureCompact: sig.toString('base64'),
      });
    });

    it('accepts strict DER and high-S signatures', async () => {
      const holder = await connect();
      await introduced(holder);
      for (const answer of ['der', 'high-s'] as const) {
        holder.answer = answer;
        const res = await sign(holder.publicKey, Buffer.from(answer).toString('base64')).expect(200);
        expect(Buffer.from((res.body as { signature: string }).signature, 'base64').length).toBe(
          answer === 'der' ? holder.signature(Buffer.from(answer), 'der').length : 64,
        );
        expect((res.body as { signatureCompact: string }).signatureCompact).toBe(
          holder.signature(Buffer.from(answer)).toString('base64'),
        );
      }
    });

    it('answers same-bytes requests in arrival order', async () => {
      const holder = await connect();
      await introduced(holder);
      holder.answer = 'silent';
      const first = sign(holder.publicKey, 'c2FtZQ==').then((r) => r);
      await holder.nextRequest();
      const second = sign(holder.publicKey, 'c2FtZQ==').then((r) => r);
      await holder.nextRequest();
      const der = holder.signature(Buffer.from('same'), 'der').toString('base64');
      const compact = holder.signature(Buffer.from('same')).toString('base64');
      dialect.respond(holder, 0, der);
      dialect.respond(holder, 1, compact);
      expect(((await first).body as { signature: string }).signature).toBe(der);
      expect(((await second).body as { signature: string }).signature).toBe(compact);
    });

    it('ignores a late answer after a timeout and keeps the connection', async () => {
      const holder = await connect();
      await introduced(holder);
      holder.answer = 'silent';
      const [res] = await Promise.all([sign(holder.publicKey, 'bGF0ZQ==', 100), holder.nextRequest()]);
      expect(res.status).toBe(504);
      dialect.respond(holder, 0, holder.signature(Buffer.from('late')).toString('base64'));
      dialect.answerNobody(holder);
      holder.answer = 'compact';
      await sign(holder.publicKey, 'YWZ0ZXI=').expect(200);
      expect(await connected(holder.publicKey)).toBe(true);
    });

    it.each(dialect.badFrames)('closes with 1008 on %s', async (_, frame) => {
      const holder = await connect();
      await introduced(holder);
      holder.send(frame);
      expect((await holder.waitClosed()).code).toBe(1008);
    });

    it('closes with 1003 on a binary frame', async () => {
      const holder = await connect();
      await introduced(holder);
      holder.send(Buffer.from([1, 2, 3]));
      expect((await holder.waitClosed()).code).toBe(1003);
    });
  });

  describe('4. heartbeat', () => {
    it('terminates a holder that stops answering pings and unregisters it', async () => {
      const quiet = t.track(dialect.create(t.ws, { autoPong: false }));
      await quiet.open();
      dialect.introduce(quiet, quiet.publicKey);
      const healthy = await connect();
      await introduced(quiet);
      const closed = await quiet.waitClosed(HEARTBEAT_MS * 10);
      expect(closed.code).toBe(1006);
      await eventually(async () => !(await connected(quiet.publicKey)), 2000, 'unregistration');
      expect(await connected(healthy.publicKey)).toBe(true);
    });
  });

  describe('5-6. one connection per key, and disconnection', () => {
    it('a newer connection replaces the older one with 4001 and receives requests', async () => {
      const older = await connect();
      await introduced(older);
      const newer = t.track(dialect.create(t.ws, { secretKey: older.secretKey }));
      await newer.open();
      dialect.introduce(newer, uncompressed(newer));
      const closed = await older.waitClosed();
      expect(closed.code).toBe(4001);
      expect(closed.reason).toMatch(/replaced/);
      expect(await connected(older.publicKey)).toBe(true);
      const [res] = await Promise.all([
        sign(older.publicKey, 'bmV3'),
        within(newer.nextRequest(), 3000, 'request'),
      ]);
      expect(res.status).toBe(200);
    });

    it('unregisters a holder as soon as it disconnects', async () => {
      const holder = await connect();
      await introduced(holder);
      await holder.close();
      await eventually(async () => !(await connected(holder.publicKey)), 1000, 'unregistration');
      const status = await request(t.http).get('/status').expect(200);
      expect(status.body).toMatchObject({ connections: 0, pending: 0 });
    });

    it('fails a pending request with client_disconnected when its holder does not come back', async () => {
      const holder = await connect();
      await introduced(holder);
      holder.answer = 'silent';
      const pending = sign(holder.publicKey, 'Ynll', 20_000).then((r) => r);
      await holder.nextRequest();
      holder.terminate();
      const res = await within(pending, 3000, 'the failed request');
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ error: 'client_disconnected' });
    });
  });
});
