import { verifies } from '../support/sign-check.js';
import { eventually } from '../support/wait.js';
import { type ClusterHolder, closeHolders, startHolder } from './support/cluster-holder.js';
import { type ClusterServer, runPrefix, startCluster, TEST_REDIS_URL } from './support/cluster-server.js';

const TTL_MS = 1_500;
const GRACE_MS = 1_000;
/** Scheduling on two shared, busy cores, and the HTTP round trips; far below the 30 s timeout. */
const SLACK_MS = 2_000;

describe('cluster: an instance killed with SIGKILL', () => {
  let servers: ClusterServer[] = [];
  const holders: ClusterHolder[] = [];

  beforeAll(async () => {
    servers = await startCluster(3, {
      REDIS_URL: TEST_REDIS_URL,
      CLUSTER_PREFIX: runPrefix('death'),
      CLUSTER_NODE_TTL_MS: String(TTL_MS),
      RECONNECT_GRACE_MS: String(GRACE_MS),
    });
  });

  afterAll(async () => {
    await closeHolders(holders);
    await Promise.all(servers.map((server) => server.stop()));
  });

  /** A holder that is asked but never answers. */
  async function silentHolderOn(server: ClusterServer, secretKey?: Uint8Array): Promise<ClusterHolder> {
    const holder = await startHolder(server.wsUrl, {
      secretKey,
      approve: () => new Promise<boolean>(() => undefined),
      reconnect: false,
    });
    holders.push(holder);
    return holder;
  }

  function sign(server: ClusterServer, publicKey: string, message: Buffer) {
    return server.request('/sign', { publicKey, message: message.toString('base64'), timeoutMs: 30_000 });
  }

  it('fails the requests waiting on it promptly, forgets it within the TTL, and signs for a holder that moved', async () => {
    const [doomed, caller, survivor] = servers;
    const stranded = await silentHolderOn(doomed);
    const moving = await silentHolderOn(doomed);
    await eventually(
      async () => (await caller.request(`/connected/${moving.publicKey}`)).body.connected === true,
      5_000,
      'the holders to be known elsewhere',
    );
    const message = Buffer.from('wait for me');
    const lost = sign(caller, stranded.publicKey, message);
    const carried = sign(caller, moving.publicKey, message);
    await eventually(() => stranded.requests.length === 1 && moving.requests.length === 1, 5_000, 'delivery');
    const killedAt = Date.now();
    await doomed.kill();

    // The moving holder proves itself on another instance within the grace: same request id.
    const moved = await startHolder(survivor.wsUrl, { secretKey: moving.secretKey });
    holders.push(moved);
    const carriedReply = await carried;
    expect(carriedReply.status).toBe(200);
    expect(verifies(String(carriedReply.body.signature), message, moving.publicKey)).toBe(true);
    expect(moved.requests).toEqual(moving.requests);

    const lostReply = await lost;
    const waited = Date.now() - killedAt;
    expect(lostReply).toMatchObject({ status: 502, body: { error: 'client_disconnected' } });
    expect(waited).toBeLessThan(TTL_MS + GRACE_MS + SLACK_MS);

    await eventually(
      async () => (await caller.request('/status')).body.instances === 2,
      TTL_MS + SLACK_MS,
      'the dead instance to stop counting',
    );
    expect(Date.now() - killedAt).toBeLessThan(TTL_MS + SLACK_MS + 500);
    const status = (await caller.request('/status')).body;
    expect(status.connections).toBe(1);
    expect((await caller.request(`/connected/${stranded.publicKey}`)).body.connected).toBe(false);

    // A holder that moves after the grace is signable again from any instance.
    const back = await startHolder(survivor.wsUrl, { secretKey: stranded.secretKey });
    holders.push(back);
    const again = await sign(caller, stranded.publicKey, Buffer.from('again'));
    expect(again.status).toBe(200);
  });

  it('withdraws, with a v2 cancel, the requests whose caller’s instance died', async () => {
    const [, owner, callerInstance] = servers;
    const cancels: string[] = [];
    const holder = await startHolder(owner.wsUrl, {
      approve: () => new Promise<boolean>(() => undefined),
      onCancel: (_request, reason) => cancels.push(reason),
    });
    holders.push(holder);
    await eventually(
      async () => (await callerInstance.request(`/connected/${holder.publicKey}`)).body.connected === true,
      5_000,
      'the holder to be known to the caller’s instance',
    );
    void sign(callerInstance, holder.publicKey, Buffer.from('orphan')).catch(() => undefined);
    await eventually(() => holder.requests.length === 1, 5_000, 'delivery');
    const killedAt = Date.now();
    await callerInstance.kill();
    await eventually(() => cancels.length === 1, TTL_MS + SLACK_MS + 500, 'the cancel');
    expect(cancels).toEqual(['withdrawn']);
    expect(Date.now() - killedAt).toBeLessThan(TTL_MS + SLACK_MS + 500);
  });
});
