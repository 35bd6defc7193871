import { freePort } from '../support/child-process.js';
import { verifies } from '../support/sign-check.js';
import { eventually } from '../support/wait.js';
import { OwnRedis } from './support/own-redis.js';
import { type ClusterHolder, closeHolders, startHolder } from './support/cluster-holder.js';
import { type ClusterServer, runPrefix, startCluster } from './support/cluster-server.js';

describe('cluster: a Redis outage', () => {
  let redis: OwnRedis;
  let servers: ClusterServer[] = [];
  const holders: ClusterHolder[] = [];

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    servers = await startCluster(2, { REDIS_URL: redis.url, CLUSTER_PREFIX: runPrefix('outage') });
  });

  afterAll(async () => {
    await closeHolders(holders);
    await Promise.all(servers.map((server) => server.stop()));
    await redis.stop();
  });

  function sign(server: ClusterServer, publicKey: string, text: string) {
    const message = Buffer.from(text).toString('base64');
    return server.request('/sign', { publicKey, message, timeoutMs: 20_000 });
  }

  async function redisUpMetric(server: ClusterServer): Promise<string | undefined> {
    const text = await fetch(`${server.url}/metrics`).then((response) => response.text());
    return /^sigsocket_cluster_redis_up (\d)$/m.exec(text)?.[1];
  }

  async function redisState(server: ClusterServer): Promise<unknown> {
    return ((await server.request('/status')).body.cluster as { redis?: string } | undefined)?.redis;
  }

  it('keeps local keys signing, fails remote ones with 503 at once, stays ready, and recovers by itself', async () => {
    const [a, b] = servers;
    const local = await startHolder(a.wsUrl);
    const remote = await startHolder(b.wsUrl);
    const silent = await startHolder(b.wsUrl, { approve: () => new Promise<boolean>(() => undefined) });
    holders.push(local, remote, silent);
    await eventually(
      async () => (await a.request('/status')).body.connections === 3,
      5_000,
      'the holders to be known',
    );
    expect((await sign(a, remote.publicKey, 'before')).status).toBe(200);
    expect(await redisUpMetric(a)).toBe('1');
    const waiting = sign(a, silent.publicKey, 'waiting when Redis goes');
    await eventually(() => silent.requests.length === 1, 5_000, 'delivery');

    const stoppedAt = Date.now();
    const timeline: string[] = [];
    const mark = (what: string): void => void timeline.push(`${what} +${Date.now() - stoppedAt} ms`);
    await redis.stop();
    mark('redis-server stopped');
    const waitingReply = await waiting;
    mark('waiting remote request answered 503');
    expect(waitingReply).toMatchObject({ status: 503, body: { error: 'cluster_unavailable' } });
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    await eventually(async () => (await redisState(a)) === 'down', 5_000, '/status to show Redis down');
    mark('/status shows redis down');
    expect(await redisUpMetric(a)).toBe('0');
    for (const path of ['/health/ready', '/health/live', '/health']) {
      expect((await a.request(path)).status).toBe(200);
    }
    const localReply = await sign(a, local.publicKey, 'local during the outage');
    expect(localReply.status).toBe(200);
    mark('local key signed');
    expect(
      verifies(String(localReply.body.signature), Buffer.from('local during the outage'), local.publicKey),
    ).toBe(true);
    expect(await sign(a, remote.publicKey, 'remote during the outage')).toMatchObject({
      status: 503,
      body: { error: 'cluster_unavailable' },
    });

    await redis.start();
    mark('redis-server started again');
    await eventually(
      async () => (await redisState(a)) === 'up' && (await redisState(b)) === 'up',
      10_000,
      '/status to show Redis up',
    );
    mark('/status shows redis up on both');
    expect(await redisUpMetric(b)).toBe('1');
    await eventually(
      async () => (await sign(a, remote.publicKey, 'after')).status === 200,
      10_000,
      'signing across instances again',
    );
    mark('remote key signed again');
    process.stdout.write(`redis outage timeline: ${timeline.join('; ')}\n`);
    expect((await sign(b, local.publicKey, 'the other way')).status).toBe(200);
    expect((await a.request('/status')).body).toMatchObject({ connections: 3, instances: 2 });
    expect(servers.every((server) => server.running)).toBe(true);
  });
});
