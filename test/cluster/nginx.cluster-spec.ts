import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { TestHolder } from '../support/test-holder.js';
import { V2TestHolder } from '../support/v2-test-holder.js';
import { eventually, within } from '../support/wait.js';
import { refuseRequest } from '../../src/connections/error-response.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { ClusterServer, freePort, runPrefix, TEST_REDIS_URL } from './support/cluster-server.js';
import { Nginx } from './support/nginx.js';

type Holder = TestHolder | V2TestHolder;
type Version = 'v1' | 'v2';

/** A holder connected through `url`, once the server has registered its key. */
function connectHolder(version: Version, url: string): Promise<Holder> {
  return version === 'v2' ? V2TestHolder.registered(url) : TestHolder.registered(url);
}

/** Holders of each protocol connected to one instance (the counts are per instance). */
async function holdersOn(server: ClusterServer, version: Version): Promise<number> {
  const { body } = await server.request('/status');
  return (body as { holders: Record<Version, number> }).holders[version];
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

describe('nginx (docker/nginx/sigsocket.conf.template) in front of two cluster instances', () => {
  let nginx: Nginx;
  let withUrls: ClusterServer;
  let withoutUrls: ClusterServer;
  const holders: Holder[] = [];

  /**
   * Connects holders through nginx until each instance has one of `version`: without sticky
   * sessions, round robin spreads the upgrades over both. Returns their keys.
   */
  async function onEachInstance(version: Version): Promise<string[]> {
    for (let attempt = 0; attempt < 8; attempt++) {
      holders.push(await connectHolder(version, nginx.wsUrl));
      const counts = await Promise.all([withUrls, withoutUrls].map((s) => holdersOn(s, version)));
      if (counts.every((count) => count > 0)) return holders.map((holder) => holder.publicKey);
    }
    throw new Error('nginx did not spread the holder connections over both instances');
  }

  beforeAll(async () => {
    const [nginxPort, portA, portB] = await Promise.all([freePort(), freePort(), freePort()]);
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      CLUSTER_PREFIX: runPrefix('nginx'),
      SHUTDOWN_GRACE_MS: '4000',
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'warn',
    };
    [withUrls, withoutUrls] = await Promise.all([
      ClusterServer.start({ env: { ...env, PUBLIC_URLS: `ws://127.0.0.1:${nginxPort}/ws` }, port: portA }),
      ClusterServer.start({ env, port: portB }),
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

  it.each(['v2', 'v1'] as const)(
    'proves %s holders through nginx, by PUBLIC_URLS on one instance and by Host on the other, and signs through it',
    async (version) => {
      const keys = await onEachInstance(version);
      const results = await Promise.all(
        keys.flatMap((publicKey) =>
          Array.from({ length: 10 }, () =>
            request(nginx.url)
              .post('/sign')
              .send({ publicKey, message: randomBytes(32).toString('base64') }),
          ),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
      expect(holders.every((holder) => holder.received.length === 10)).toBe(true);
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
      const holder = await V2TestHolder.registered(withoutUrls.wsUrl);
      holders.push(holder);
      const statuses = await signInTurn(front.url, holder.publicKey, 10);
      expect(statuses).toEqual(statuses.map(() => 200));
      expect(refused).toBeGreaterThan(0);
    } finally {
      await front.stop();
      await new Promise((done) => draining.close(done));
    }
  });

  it('fails over to the other instance while one drains', async () => {
    // The holder stays; the instance that drains is the other one.
    const holder = await V2TestHolder.registered(withoutUrls.wsUrl);
    holders.push(holder);
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
      async () => (await withUrls.request('/health/live').catch(() => undefined)) === undefined,
      3000,
      'the listener to close',
    );

    const statuses = await signInTurn(nginx.url, holder.publicKey, 40);
    expect(statuses).toEqual(statuses.map(() => 200));
    expect((await within(held, 8000, 'the held request')).body).toMatchObject({ error: 'shutting_down' });
    await within(stopping, 10_000, 'the instance to exit');
  });
});
