import { secp256k1 } from '@noble/curves/secp256k1.js';
import { verifies } from '../support/sign-check.js';
import { eventually } from '../support/wait.js';
import { type ClusterHolder, closeHolders, startHolder } from './support/cluster-holder.js';
import { type ClusterServer, runPrefix, startCluster, TEST_REDIS_URL } from './support/cluster-server.js';

const PROTOCOLS = ['v1', 'v2'] as const;

describe('cluster routing: three instances sharing Redis', () => {
  let servers: ClusterServer[] = [];
  const holders: ClusterHolder[] = [];

  beforeAll(async () => {
    servers = await startCluster(3, { REDIS_URL: TEST_REDIS_URL, CLUSTER_PREFIX: runPrefix('routing') });
  });

  afterAll(async () => {
    await closeHolders(holders);
    await Promise.all(servers.map((server) => server.stop()));
  });

  async function holderOn(server: ClusterServer, protocol: 'v1' | 'v2' = 'v2'): Promise<ClusterHolder> {
    const holder = await startHolder(server.wsUrl, { protocol });
    holders.push(holder);
    await everywhere(holder.publicKey, true);
    return holder;
  }

  /** Waits until every instance answers /connected for the key with `connected`. */
  function everywhere(publicKey: string, connected: boolean): Promise<void> {
    return eventually(
      async () => {
        const replies = await Promise.all(servers.map((server) => server.request(`/connected/${publicKey}`)));
        return replies.every((reply) => reply.body.connected === connected);
      },
      5_000,
      `every instance to say connected=${connected}`,
    );
  }

  function sign(server: ClusterServer, publicKey: string, message: Buffer, headers = {}) {
    return server.request(
      '/sign',
      { publicKey, message: message.toString('base64'), timeoutMs: 10_000 },
      headers,
    );
  }

  describe.each(PROTOCOLS)('with %s holders', (protocol) => {
    it('signs across instances in all six directions', async () => {
      const onEach = await Promise.all(servers.map((server) => holderOn(server, protocol)));
      for (const [from, caller] of servers.entries()) {
        for (const [to, holder] of onEach.entries()) {
          if (from === to) continue;
          const message = Buffer.from(`from ${from} to ${to} over ${protocol}`);
          const reply = await sign(caller, holder.publicKey, message);
          expect(reply.status).toBe(200);
          expect(reply.body.publicKey).toBe(holder.publicKey);
          expect(verifies(String(reply.body.signature), message, holder.publicKey)).toBe(true);
        }
      }
      expect(onEach.map((holder) => holder.requests.length)).toEqual([2, 2, 2]);
    });

    it('gives the caller a decline from a holder on another instance as 409 rejected', async () => {
      const holder = await startHolder(servers[0].wsUrl, { protocol, approve: () => false });
      holders.push(holder);
      await everywhere(holder.publicKey, true);
      const reply = await sign(servers[2], holder.publicKey, Buffer.from('no'));
      expect(reply.status).toBe(409);
      expect(reply.body.error).toBe('rejected');
    });
  });

  it('counts connections and instances cluster-wide in /status, and pending per instance', async () => {
    const before = (await servers[0].request('/status')).body;
    await holderOn(servers[1]);
    for (const server of servers) {
      const status = (await server.request('/status')).body;
      expect(status).toMatchObject({ instances: 3, cluster: { redis: 'up' }, pending: 0 });
      expect(status.connections).toBe(Number(before.connections) + 1);
    }
    const holdersHere = (await servers[1].request('/status')).body.holders as { v1: number; v2: number };
    expect(holdersHere.v1 + holdersHere.v2).toBeLessThan(Number(before.connections) + 1);
  });

  it('answers /connected for a key with no holder anywhere with false, and /sign with 404', async () => {
    const nobody = Buffer.from(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey())).toString('hex');
    const { body } = await servers[0].request(`/connected/${nobody}`);
    expect(body.connected).toBe(false);
    const reply = await sign(servers[0], nobody, Buffer.from('x'));
    expect(reply.status).toBe(404);
    expect(reply.body.error).toBe('not_connected');
  });

  it('replaces a key’s connection on another instance: the old one is closed with 4001, the new one signs', async () => {
    const first = await holderOn(servers[0]);
    const second = await startHolder(servers[1].wsUrl, { secretKey: first.secretKey });
    holders.push(second);
    await eventually(() => first.closes.includes(4001), 5_000, 'the old connection to be closed with 4001');
    const message = Buffer.from('after the move');
    const reply = await sign(servers[2], first.publicKey, message);
    expect(reply.status).toBe(200);
    expect(second.requests).toHaveLength(1);
    expect(first.requests).toHaveLength(0);
    const status = (await servers[2].request('/status')).body;
    const connected = await Promise.all(
      servers.map((server) => server.request(`/connected/${first.publicKey}`)),
    );
    expect(connected.every((reply) => reply.body.connected === true)).toBe(true);
    expect(status.instances).toBe(3);
  });

  it('routes 300 concurrent requests over every instance and holder, each answered by the right key', async () => {
    const many = await Promise.all(
      servers.flatMap((server) => [holderOn(server, 'v1'), holderOn(server, 'v2')]),
    );
    const replies = await Promise.all(
      Array.from({ length: 300 }, async (_, n) => {
        const holder = many[n % many.length];
        const message = Buffer.from(`request ${n}`);
        const reply = await sign(servers[(n * 7) % servers.length], holder.publicKey, message);
        return reply.status === 200 && verifies(String(reply.body.signature), message, holder.publicKey);
      }),
    );
    expect(replies.filter((ok) => !ok)).toHaveLength(0);
    const pending = await Promise.all(servers.map((server) => server.request('/status')));
    expect(pending.map((reply) => reply.body.pending)).toEqual([0, 0, 0]);
  });

  it('asks the holder once for one Idempotency-Key sent to two instances, and replays it at a third', async () => {
    const holder = await startHolder(servers[0].wsUrl, {
      approve: () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 300)),
    });
    holders.push(holder);
    await everywhere(holder.publicKey, true);
    const message = Buffer.from('pay once');
    const headers = { 'Idempotency-Key': `pay-${Date.now()}` };
    const [first, second] = await Promise.all([
      sign(servers[1], holder.publicKey, message, headers),
      sign(servers[2], holder.publicKey, message, headers),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.signature).toBe(first.body.signature);
    const replay = await sign(servers[0], holder.publicKey, message, headers);
    expect(replay).toMatchObject({ status: 200, body: { signature: first.body.signature } });
    expect(holder.requests).toHaveLength(1);
    const other = await sign(servers[2], holder.publicKey, Buffer.from('pay twice'), headers);
    expect(other).toMatchObject({ status: 422, body: { error: 'idempotency_conflict' } });
  });
});
