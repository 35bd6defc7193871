import { getAndClose, RawClient, upgradeStatus } from '../support/raw-client.js';
import { ADAPTERS } from '../support/test-app.js';
import { TestHolder } from '../support/test-holder.js';
import { eventually } from '../support/wait.js';
import { ServerProcess } from './support/server-process.js';

const OPEN_FILES = 1024;
const HALF_SENT_REQUESTS = 1100;
/** Requests that never finish: headers without an end, and a body that never comes. */
const HALF_SENT = [
  'GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ',
  'POST /sign HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"m',
];

describe.each(ADAPTERS)('the server under a 1,024-descriptor limit on %s', (adapter) => {
  let server: ServerProcess | undefined;
  const current = (): ServerProcess => {
    if (server === undefined) throw new Error('the server starts in beforeAll');
    return server;
  };
  const held: RawClient[] = [];

  beforeAll(async () => {
    server = await ServerProcess.start(
      { HTTP_ADAPTER: adapter, LOG_LEVEL: 'info' },
      { openFiles: OPEN_FILES },
    );
  });
  afterAll(async () => {
    for (const client of held.splice(0)) client.destroy();
    await server?.stop();
  });

  it('caps connections at 90% of the limit by default', () => {
    expect(current().output()).toMatch(/at most 921 connections \(\+64 for probes\)/);
  });

  it('keeps answering probes through 1,100 half-sent requests, and serves everyone once they go', async () => {
    for (let opened = 0; opened < HALF_SENT_REQUESTS; opened += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => RawClient.open(current().url)));
      batch.forEach((client, i) => client.write(HALF_SENT[i % HALF_SENT.length]));
      held.push(...batch);
    }
    // Once the server has taken them all in, it holds no more than the cap and the reserve.
    const overflow = HALF_SENT_REQUESTS - (921 + 64);
    await eventually(
      () => held.filter((client) => client.isClosed).length >= overflow,
      20_000,
      'the overflow',
    );
    const exchange = (path: string): Promise<RawClient> =>
      RawClient.exchange(current().url, getAndClose(path), 5000);
    expect((await exchange('/health/live')).status()).toBe(200);
    expect((await exchange('/health/ready')).status()).toBe(200);
    expect((await exchange('/metrics')).status()).toBe(200);
    const refused = await exchange('/status');
    expect(refused.status()).toBe(503);
    expect(refused.received).toMatch(/"error":"too_many_connections"/);
    const ws = current().wsUrl;
    expect(await upgradeStatus(ws)).toBe(503);
    expect(current().running).toBe(true);

    for (const client of held.splice(0)) client.destroy();
    await eventually(
      async () => (await exchange('/status')).status() === 200,
      5000,
      'GET /status to answer 200 again',
    );
    const holder = await TestHolder.registered(ws);
    await holder.close();
    expect(current().output()).not.toMatch(/EMFILE|too many open files/i);
  });
});
