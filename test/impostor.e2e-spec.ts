import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ADAPTERS, startApp, TestApp } from './support/test-app.js';
import { Closed, TestHolder, uncompressed } from './support/test-holder.js';
import { eventually, within } from './support/wait.js';

const HANDSHAKE_MS = 600;
const GRACE_MS = 1500;

interface Signed {
  publicKey: string;
  message: string;
  signature: string;
}

/** What an impostor who knows the real key (but not its secret) sends as its proof. */
type Forgery = (challenge: string, impostor: TestHolder, seen: Signed) => string | undefined;

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe.each(ADAPTERS)('impostors on %s', (adapter) => {
  let t: TestApp;
  let real: TestHolder;
  let realClosed: Closed | undefined;
  const opened: TestHolder[] = [];

  const connected = async (key: string): Promise<boolean> =>
    ((await request(t.http).get(`/connected/${key}`).expect(200)).body as { connected: boolean }).connected;
  const sign = (message = b64(randomBytes(16))): request.Test =>
    request(t.http).post('/sign').send({ publicKey: real.publicKey, message });
  const signVerified = async (): Promise<Signed> => {
    const body = (await sign().expect(200)).body as Signed;
    const valid = secp256k1.verify(
      Buffer.from(body.signature, 'base64'),
      Buffer.from(body.message, 'base64'),
      Buffer.from(real.publicKey, 'hex'),
    );
    expect(valid).toBe(true);
    return body;
  };
  /** Claims `key`, waits for the challenge and answers it with `forge` (or not at all). */
  const impostor = async (key: string, forge: Forgery, seen: Signed): Promise<TestHolder> => {
    const holder = new TestHolder(t.ws);
    opened.push(holder);
    holder.proof = 'silent';
    await holder.open();
    holder.send(key);
    await eventually(() => holder.challenges.length > 0, 3000, 'a challenge');
    const frame = forge(holder.challenges[0], holder, seen);
    if (frame !== undefined) holder.send(frame);
    return holder;
  };
  const expectRefused = async (holder: TestHolder): Promise<void> => {
    const closed = await holder.waitClosed(HANDSHAKE_MS * 5);
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/proof of possession failed|handshake/);
    expect(holder.received).toEqual([]);
  };

  const FORGERIES: [string, Forgery][] = [
    [
      'its own signature over the challenge',
      (c, imp) => `${c}.${b64(imp.signature(Buffer.from(c, 'base64')))}`,
    ],
    ['a real signature over a different message', (_, __, seen) => `${seen.message}.${seen.signature}`],
    [
      'the challenge with a real signature over a different message',
      (c, _, seen) => `${c}.${seen.signature}`,
    ],
    [
      "a replay of the real holder's own challenge answer",
      () => `${real.challenges[0]}.${b64(real.signature(Buffer.from(real.challenges[0], 'base64')))}`,
    ],
    ['a reject frame', (c) => JSON.stringify({ type: 'reject', message: c })],
    ['a second introduction', () => real.publicKey],
    ['silence', () => undefined],
  ];

  beforeAll(async () => {
    t = await startApp(adapter, {
      HANDSHAKE_TIMEOUT_MS: String(HANDSHAKE_MS),
      RECONNECT_GRACE_MS: String(GRACE_MS),
    });
  });
  beforeEach(async () => {
    real = await TestHolder.connect(t.ws);
    realClosed = undefined;
    void real.closed.then((closed) => (realClosed = closed));
    await real.proven();
    expect(await connected(real.publicKey)).toBe(true);
  });
  afterEach(async () => {
    await Promise.all([real, ...opened.splice(0)].map((h) => h.close().catch(() => undefined)));
    await eventually(() => t.signing.pendingCount() === 0, 3000, 'no pending requests');
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(FORGERIES)('refuses %s with 1008 and leaves the real holder alone', async (_, forge) => {
    const seen = await signVerified();
    const fake = await impostor(real.publicKey, forge, seen);
    await expectRefused(fake);
    expect(realClosed).toBeUndefined();
    expect(await connected(real.publicKey)).toBe(true);
    await signVerified();
    expect(real.challenges).toHaveLength(1);
  });

  it('never connects a key whose holder is absent, before or after its failed proof', async () => {
    const absent = TestHolder.absentKey();
    const fake = await impostor(absent, () => undefined, await signVerified());
    expect(await connected(absent)).toBe(false);
    const challenge = fake.challenges[0];
    fake.send(`${challenge}.${b64(fake.signature(Buffer.from(challenge, 'base64')))}`);
    await expectRefused(fake);
    expect(await connected(absent)).toBe(false);
    expect((await request(t.http).get('/status').expect(200)).body).toMatchObject({ connections: 1 });
    const res = await request(t.http).post('/sign').send({ publicKey: absent, message: 'AA==' });
    expect(res.status).toBe(404);
  });

  it('is connected only through the real holder: once it leaves, a pending impostor counts for nothing', async () => {
    const fake = await impostor(uncompressed(real), () => undefined, await signVerified());
    await real.close();
    await eventually(async () => !(await connected(real.publicKey)), 2000, 'the real holder to leave');
    fake.send(`${fake.challenges[0]}.${b64(fake.signature(Buffer.from(fake.challenges[0], 'base64')))}`);
    await expectRefused(fake);
    expect(await connected(real.publicKey)).toBe(false);
  });

  it('never receives requests left pending for the key while its holder is away', async () => {
    real.answer = 'silent';
    const pending = sign().then((res) => res);
    await real.nextRequest();
    real.terminate();
    await eventually(async () => !(await connected(real.publicKey)), 2000, 'the real holder to leave');
    const fake = await impostor(real.publicKey, () => undefined, {
      publicKey: '',
      message: '',
      signature: '',
    });
    fake.send(`${fake.challenges[0]}.${b64(fake.signature(Buffer.from(fake.challenges[0], 'base64')))}`);
    await expectRefused(fake);
    expect(t.signing.pendingCount()).toBe(1);
    const res = await within(pending, GRACE_MS * 3, 'the pending request to fail');
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: 'client_disconnected' });
  });

  it("keeps the real holder's requests succeeding during repeated impostor attempts", async () => {
    const seen = await signVerified();
    const attempts = Array.from({ length: 30 }, (_, i) => FORGERIES[i % FORGERIES.length][1]);
    const attack = async (): Promise<void> => {
      for (const forge of attempts.splice(0, 10))
        await expectRefused(await impostor(real.publicKey, forge, seen));
    };
    const load = async (): Promise<void> => {
      for (let i = 0; i < 40; i++) await signVerified();
    };
    await within(Promise.all([attack(), attack(), attack(), load(), load()]), 20_000, 'the attempts');
    expect(attempts).toEqual([]);
    expect(realClosed).toBeUndefined();
    expect(real.challenges).toHaveLength(1);
    expect(real.received).toHaveLength(81);
    expect((await request(t.http).get('/status').expect(200)).body).toMatchObject({ connections: 1 });
  });
});
