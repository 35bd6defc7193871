import type { Server } from 'node:http';
import request from 'supertest';
import { sampleValue } from './support/metrics-text.js';
import { get, getAndClose, RawClient, upgradeStatus } from './support/raw-client.js';
import { ADAPTERS, SuiteApp, useTestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { eventually } from './support/wait.js';

/** Sockets kept above MAX_CONNECTIONS for probes. */
const RESERVE = 64;

/** Raw clients opened by one test, destroyed after it. */
function useClients(t: SuiteApp): {
  openMany(n: number): Promise<RawClient[]>;
  exchange(text: string): Promise<RawClient>;
} {
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await eventually(async () => (await socketsOpen(t)) === 0, 3000, 'every socket to close');
  });
  const open = async (): Promise<RawClient> => {
    const client = await RawClient.open(t.http);
    clients.push(client);
    return client;
  };
  const openMany = async (n: number): Promise<RawClient[]> => {
    const opened = await Promise.all(Array.from({ length: n }, open));
    await eventually(async () => (await socketsOpen(t)) >= n, 3000, `${n} sockets`);
    return opened;
  };
  return { openMany, exchange: (text) => RawClient.exchange(t.http, text) };
}

function socketsOpen(t: SuiteApp): Promise<number> {
  const server = t.app.getHttpServer() as Server;
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

describe.each(ADAPTERS)('MAX_CONNECTIONS on %s', (adapter) => {
  const t = useTestApp(adapter, { MAX_CONNECTIONS: '4' });
  const { openMany, exchange } = useClients(t);

  it('above the cap, answers probes and scrapes, and refuses other requests and upgrades with 503', async () => {
    await openMany(4);
    const refused = await exchange(get('/status'));
    expect(refused.status()).toBe(503);
    expect(refused.received).toMatch(/"error":"too_many_connections"/);
    for (const path of ['/health/live', '/health/ready', '/health', '/metrics']) {
      expect((await exchange(get(path))).status()).toBe(200);
    }
    expect(await upgradeStatus(t.ws)).toBe(503);
    const metrics = (await request(t.http).get('/metrics')).text;
    expect(sampleValue(metrics, 'sigsocket_handshake_failures_total', { reason: 'capacity' })).toBe(1);
  });

  it('keeps probes working while idle sockets fill the reserve, and closes those within a second', async () => {
    await openMany(4);
    const reserve = await openMany(RESERVE);
    const probe = await exchange(get('/health/live'));
    expect(probe.status()).toBe(200);
    // Every reserve socket that sent no request is closed; the four below the cap stay open.
    await Promise.all(reserve.map((client) => client.closed(2500)));
    expect(await socketsOpen(t)).toBe(4);
  });

  it('serves every request again once sockets are released', async () => {
    const held = await openMany(4 + RESERVE);
    for (const client of held) client.destroy();
    await eventually(async () => (await socketsOpen(t)) === 0, 3000, 'the sockets to close');
    await request(t.http).get('/status').expect(200);
  });
});

describe.each(ADAPTERS)('MAX_CONNECTIONS_PER_IP without a trusted proxy on %s', (adapter) => {
  const t = useTestApp(adapter, { MAX_CONNECTIONS_PER_IP: '2' });
  const { openMany, exchange } = useClients(t);

  it('counts HTTP sockets and WebSockets from one address together', async () => {
    const idle = await openMany(2);
    const holder = t.track(new TestHolder(t.ws));
    expect((await holder.waitClosed()).code).toBe(1013);
    const refused = await exchange(get('/status'));
    expect(refused.status()).toBe(503);
    expect(refused.received).toMatch(/"error":"too_many_connections"/);
    for (const client of idle) client.destroy();
    await eventually(async () => (await socketsOpen(t)) === 0, 3000, 'the sockets to close');
    t.track(await TestHolder.registered(t.ws));
    const metrics = (await request(t.http).get('/metrics')).text;
    expect(sampleValue(metrics, 'sigsocket_handshake_failures_total', { reason: 'address_limit' })).toBe(1);
  });
});

describe.each(ADAPTERS)('MAX_CONNECTIONS_PER_IP behind a trusted proxy on %s', (adapter) => {
  const t = useTestApp(adapter, { MAX_CONNECTIONS_PER_IP: '1', TRUST_PROXY: 'true' });
  const { openMany, exchange } = useClients(t);

  it('does not count HTTP sockets, which all come from the proxy', async () => {
    await openMany(3);
    expect((await exchange(getAndClose('/status'))).status()).toBe(200);
  });
});
