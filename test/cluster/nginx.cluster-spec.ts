import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { freePort, ServerProcess } from '../stress/support/server-process.js';
import { TestHolder } from '../support/test-holder.js';
import { V2TestHolder } from '../support/v2-test-holder.js';
import { eventually, within } from '../support/wait.js';
import { refuseRequest } from '../../src/connections/error-response.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { Nginx } from './support/nginx.js';

type Holder = TestHolder | V2TestHolder;

/** A v2 holder of `secretKey` connected through `url`, once the server says it is ready. */
async function v2Holder(url: string, secretKey: Uint8Array): Promise<V2TestHolder> {
  const holder = new V2TestHolder(url, { secretKey });
  await holder.open();
  holder.hello(holder.publicKey);
  await holder.ready();
  return holder;
}

async function v1Holder(url: string, secretKey: Uint8Array): Promise<TestHolder> {
  const holder = new TestHolder(url, { secretKey });
  await holder.open();
  holder.send(holder.publicKey);
  await holder.proven();
  return holder;
}

/** Statuses of `count` sign requests sent one after another to `url`. */
async function signInTurn(url: string, publicKey: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = await request(url)
      .post('/sign')
      .send({ publicKey, message: randomBytes(32).toString('base64') });
    statuses.push(r.status);
  }
  return statuses;
}

const connectedAt = async (server: ServerProcess, publicKey: string): Promise<boolean> =>
  (JSON.parse((await server.get(`/connected/${publicKey}`)).text) as { connected: boolean }).connected;

describe('nginx (docker/nginx/sigsocket.conf.template) in front of two instances', () => {
  let nginx: Nginx;
  let withUrls: ServerProcess;
  let withoutUrls: ServerProcess;
  const holders: Holder[] = [];

  /**
   * Connects holders of one key through nginx until each instance has one: without sticky
   * sessions, round robin spreads the upgrades over both.
   */
  async function onEachInstance(connect: (secretKey: Uint8Array) => Promise<Holder>): Promise<string> {
    const secretKey = secp256k1.utils.randomSecretKey();
    for (let attempt = 0; attempt < 6; attempt++) {
      const holder = await connect(secretKey);
      holders.push(holder);
      const on = await Promise.all([withUrls, withoutUrls].map((s) => connectedAt(s, holder.publicKey)));
      if (on.every(Boolean)) return holder.publicKey;
    }
    throw new Error('nginx did not spread the holder connections over both instances');
  }

  beforeAll(async () => {
    const [nginxPort, portA, portB] = await Promise.all([freePort(), freePort(), freePort()]);
    const env = { SHUTDOWN_GRACE_MS: '4000', TRUST_PROXY: 'true', LOG_LEVEL: 'warn' };
    [withUrls, withoutUrls] = await Promise.all([
      ServerProcess.start({ ...env, PUBLIC_URLS: `ws://127.0.0.1:${nginxPort}/ws` }, { port: portA }),
      ServerProcess.start(env, { port: portB }),
    ]);
    nginx = await Nginx.start([portA, portB], nginxPort);
  });

  afterEach(async () => {
    await Promise.all(holders.splice(0).map((holder) => holder.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([withUrls, withoutUrls].map((server) => server?.stop()));
  });

  it.each([
    ['v2', v2Holder],
    ['v1', v1Holder],
  ])(
    'proves a %s holder through nginx, by PUBLIC_URLS on one instance and by Host on the other',
    async (_version, connect) => {
      const publicKey = await onEachInstance((secretKey) => connect(nginx.wsUrl, secretKey));
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          request(nginx.url)
            .post('/sign')
            .send({ publicKey, message: randomBytes(32).toString('base64') }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
      // Both instances answered: each holder got some of the requests.
      expect(holders.filter((h) => h.received.length > 0)).toHaveLength(2);
    },
  );

  it('retries POST /sign elsewhere when an instance answers 503 shutting_down, as a draining one does', async () => {
    let refused = 0;
    // Answers every request the way a draining instance answers one on an open socket.
    const draining: Server = createServer((_request, response) => {
      refused += 1;
      refuseRequest(response, 503, ErrorCode.ShuttingDown, 'the server is shutting down');
    });
    await new Promise<void>((done) => draining.listen(0, '127.0.0.1', done));
    const front = await Nginx.start([(draining.address() as AddressInfo).port, withoutUrls.port]);
    try {
      const publicKey = await onEachInstance((secretKey) => v2Holder(nginx.wsUrl, secretKey));
      const statuses = await signInTurn(front.url, publicKey, 10);
      expect(statuses).toEqual(statuses.map(() => 200));
      expect(refused).toBeGreaterThan(0);
    } finally {
      await front.stop();
      await new Promise((done) => draining.close(done));
    }
  });

  it('fails over to the other instance while one drains', async () => {
    const publicKey = await onEachInstance((secretKey) => v2Holder(nginx.wsUrl, secretKey));
    // A request pending on one instance keeps it draining for SHUTDOWN_GRACE_MS.
    const silent = await TestHolder.registered(withUrls.wsUrl, 'silent');
    holders.push(silent);
    const held = request(withUrls.url)
      .post('/sign')
      .send({ publicKey: silent.publicKey, message: 'aGVsZA==', timeoutMs: 20_000 })
      .then((r) => r);
    await eventually(() => silent.received.length === 1, 3000, 'the held request');
    const stopping = withUrls.stop();
    await eventually(
      async () => (await withUrls.get('/health/live').catch(() => undefined)) === undefined,
      3000,
      'the listener to close',
    );

    const statuses = await signInTurn(nginx.url, publicKey, 40);
    expect(statuses).toEqual(statuses.map(() => 200));
    expect((await within(held, 8000, 'the held request')).body).toMatchObject({ error: 'shutting_down' });
    await within(stopping, 10_000, 'the instance to exit');
  });
});
