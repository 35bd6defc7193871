import { randomBytes } from 'node:crypto';
import { freePort } from '../support/child-process.js';
import { eventually } from '../support/wait.js';
import { closeHolders, startHolder, type ClusterHolder } from './support/cluster-holder.js';
import { ClusterServer, runPrefix } from './support/cluster-server.js';
import { OwnRedis } from './support/own-redis.js';

describe('cluster: a Redis that needs a password', () => {
  const password = `pw-${randomBytes(12).toString('hex')}`;
  let redis: OwnRedis;
  const servers: ClusterServer[] = [];
  const holders: ClusterHolder[] = [];

  beforeAll(async () => {
    redis = new OwnRedis(await freePort(), password);
    await redis.start();
  });

  afterAll(async () => {
    await closeHolders(holders);
    await Promise.all(servers.map((server) => server.stop()));
    await redis.stop();
  });

  it('works with the password in REDIS_URL, and never logs it, not even when Redis goes away', async () => {
    const env = { REDIS_URL: redis.url, CLUSTER_PREFIX: runPrefix('password'), LOG_LEVEL: 'debug' };
    const [a, b] = await Promise.all([ClusterServer.start({ env }), ClusterServer.start({ env })]);
    servers.push(a, b);
    const holder = await startHolder(b.wsUrl);
    holders.push(holder);
    await eventually(
      async () => (await a.request(`/connected/${holder.publicKey}`)).body.connected === true,
      5_000,
      'the holder to be known',
    );
    const message = Buffer.from('through a password-protected Redis').toString('base64');
    expect((await a.request('/sign', { publicKey: holder.publicKey, message })).status).toBe(200);
    await redis.stop();
    await eventually(() => a.output().includes('Redis connection is down'), 5_000, 'the outage to be logged');
    await redis.start();
    await eventually(
      () => a.output().includes('Redis connection is up'),
      10_000,
      'the recovery to be logged',
    );
    for (const server of servers) expect(server.output()).not.toContain(password);
  });

  it('refuses a wrong password with a logged error that does not show it, and still serves', async () => {
    const wrong = `wrong-${randomBytes(12).toString('hex')}`;
    const url = redis.url.replace(encodeURIComponent(password), wrong);
    const server = await ClusterServer.start({
      env: { REDIS_URL: url, CLUSTER_PREFIX: runPrefix('wrongpass') },
    });
    servers.push(server);
    await eventually(
      () => /WRONGPASS|NOAUTH|invalid/i.test(server.output()),
      10_000,
      'the auth error to be logged',
    );
    expect(server.output()).not.toContain(wrong);
    expect((await server.request('/status')).body).toMatchObject({ cluster: { redis: 'down' } });
  });
});
