import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { SigSocketHolder } from '../../src/client/sigsocket-holder.js';
import { SignClient, Tally } from '../stress/support/sign-load.js';
import { eventually, within } from '../support/wait.js';
import { ClusterServer, freePort, runPrefix, TEST_REDIS_URL } from './support/cluster-server.js';
import { Nginx } from './support/nginx.js';

const INSTANCES = 3;
/** Signs per second sent through nginx, and for how long before, between and after restarts. */
const RATE = 125;
const SETTLE_MS = 2_000;
/** Each holder thinks a little, so that requests are pending on every instance at any time. */
const THINK_MS = 100;

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Pending requests on one instance, from its own /status (the field is per instance). */
async function pendingOn(server: ClusterServer): Promise<number> {
  const { status, body } = await server.request('/status');
  return status === 200 ? (body as { pending: number }).pending : 0;
}

/** A steady stream of sign requests at `RATE` per second to random holders, counted by outcome. */
class SteadyLoad {
  readonly tally = new Tally();
  sent = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = performance.now();
  private stoppedAt = 0;

  constructor(
    private readonly client: SignClient,
    private readonly keys: string[],
  ) {
    // Requests owed by the clock, sent in small bursts, so that timer slack does not lower the rate.
    this.timer = setInterval(() => {
      const owed = Math.floor(((performance.now() - this.startedAt) * RATE) / 1000) - this.sent;
      for (let i = 0; i < owed; i++) this.send();
    }, 4);
  }

  get failed(): number {
    return this.sent - this.tally.get('ok');
  }

  get rate(): number {
    return (this.sent * 1000) / (this.stoppedAt - this.startedAt);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stoppedAt = performance.now();
    await within(Promise.all(this.inFlight), 30_000, 'the last sign requests');
  }

  private send(): void {
    this.sent += 1;
    const publicKey = this.keys[this.sent % this.keys.length];
    const body = JSON.stringify({
      publicKey,
      message: randomBytes(32).toString('base64'),
      timeoutMs: 20_000,
    });
    const done = this.client.post(body).then(({ label }) => {
      this.tally.add(label);
      this.inFlight.delete(done);
    });
    this.inFlight.add(done);
  }
}

describe('a rolling restart through nginx', () => {
  const prefix = runPrefix('rolling');
  const servers: ClusterServer[] = [];
  const holders: SigSocketHolder[] = [];
  let nginx: Nginx | undefined;
  let client: SignClient | undefined;

  afterAll(async () => {
    client?.close();
    await Promise.all(holders.map((holder) => holder.close()));
    await nginx?.stop();
    await Promise.all(servers.map((server) => server.stop()));
  });

  it(`loses no request of ${RATE} signs/s while each of ${INSTANCES} instances restarts in turn`, async () => {
    const ports: number[] = [];
    while (ports.length < INSTANCES) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    let nginxPort = await freePort();
    while (ports.includes(nginxPort)) nginxPort = await freePort();
    const wsUrl = `ws://127.0.0.1:${nginxPort}/ws`;
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      CLUSTER_PREFIX: prefix,
      PUBLIC_URLS: wsUrl,
      TRUST_PROXY: 'true',
      SHUTDOWN_DELAY_MS: '500',
      SHUTDOWN_GRACE_MS: '5000',
    };
    for (const port of ports) servers.push(await ClusterServer.start({ env, port }));
    nginx = await Nginx.start(ports, nginxPort);

    for (const protocol of ['v2', 'v2', 'v2', 'v2', 'v1', 'v1'] as const) {
      const holder = new SigSocketHolder({
        url: wsUrl,
        secretKey: secp256k1.utils.randomSecretKey(),
        protocol,
        WebSocket,
        approve: async () => {
          await pause(THINK_MS);
          return true;
        },
      });
      holders.push(holder.start());
    }
    await within(Promise.all(holders.map((h) => h.ready())), 10_000, 'the holders');

    client = new SignClient(nginxPort, 256);
    const load = new SteadyLoad(
      client,
      holders.map((h) => h.publicKey),
    );
    await pause(SETTLE_MS);
    const pendingAtStop: number[] = [];
    for (let i = 0; i < servers.length; i++) {
      let pending = 0;
      await eventually(
        async () => (pending = await pendingOn(servers[i])) > 0,
        5000,
        `requests pending on instance ${i + 1}`,
      );
      pendingAtStop.push(pending);
      await servers[i].stop();
      await servers[i].restart();
      await pause(SETTLE_MS);
    }
    await load.stop();

    process.stdout.write(
      `rolling restart: sent ${load.sent}, failed ${load.failed} (${load.tally.toString()}), ` +
        `${load.rate.toFixed(0)} signs/s, pending at each SIGTERM: ${pendingAtStop.join(', ')}\n`,
    );
    expect(load.rate).toBeGreaterThanOrEqual(100);
    expect(load.failed).toBe(0);
  }, 120_000);
});
