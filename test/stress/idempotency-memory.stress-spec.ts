import { randomBytes } from 'node:crypto';
import { eventually } from '../support/wait.js';
import { HolderFleet } from './support/holder-fleet.js';
import { metric, mib, MiB, report } from './support/report.js';
import { ServerProcess } from './support/server-process.js';
import { loop, SignClient, Tally } from './support/sign-load.js';

const SIGNS = 6000;
const CALLERS = 8;
const RSS_GROWTH_LIMIT = 300 * MiB;
const HEAP_GROWTH_LIMIT = 50 * MiB;
const REPLAYS = 100;

/** 6,000 idempotent signs of 64 KiB messages, with the store's default bounds. */
describe('the idempotency store under many large requests', () => {
  let server: ServerProcess;
  let fleet: HolderFleet;

  beforeAll(async () => {
    // Every result is kept for the whole run, however long the machine makes it take.
    server = await ServerProcess.start({ IDEMPOTENCY_TTL_MS: '900000' });
    fleet = await HolderFleet.start(server.wsUrl, 1);
    await eventually(async () => (await metric(server, 'sigsocket_connections')) === 1, 10_000, 'the fleet');
  });

  afterAll(async () => {
    await fleet?.stop();
    await server?.stop();
  });

  it(`keeps RSS growth under ${mib(RSS_GROWTH_LIMIT)} and the heap within ${mib(HEAP_GROWTH_LIMIT)}`, async () => {
    const [publicKey] = fleet.keys;
    const client = new SignClient(server.port, CALLERS);
    const tally = new Tally();
    const kept: { body: string; key: string }[] = [];
    const before = await server.memoryAfterGc();
    const rssBefore = server.rss();
    let sent = 0;
    await loop(
      CALLERS,
      () => sent >= SIGNS,
      async () => {
        const n = sent++;
        const body = JSON.stringify({ publicKey, message: randomBytes(64 * 1024).toString('base64') });
        const key = `stress-${n}-${randomBytes(8).toString('hex')}`;
        if (n % (SIGNS / REPLAYS) === 0) kept.push({ body, key });
        tally.add((await client.post(body, { 'idempotency-key': key })).label);
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rssAfter = server.rss();
    // The results are still kept: replays are answered without asking the holder again.
    const signed = await fleet.signed();
    for (const { body, key } of kept)
      tally.add(`replay ${(await client.post(body, { 'idempotency-key': key })).label}`);
    const signedAgain = (await fleet.signed()) - signed;
    client.close();
    const after = await server.memoryAfterGc();

    report(`idempotency: ${tally.toString()}; replays the holder signed again: ${signedAgain}`);
    report(
      `idempotency: RSS ${mib(rssBefore)} -> ${mib(rssAfter)} 3 s after the run (limit +${mib(RSS_GROWTH_LIMIT)})`,
    );
    report(
      `idempotency: heap after GC ${mib(before.heapUsed)} -> ${mib(after.heapUsed)} (limit +${mib(HEAP_GROWTH_LIMIT)})`,
    );
    expect(signedAgain).toBe(0);
    expect(tally.get('ok')).toBe(SIGNS);
    expect(tally.get('replay ok')).toBe(kept.length);
    expect(rssAfter - rssBefore).toBeLessThan(RSS_GROWTH_LIMIT);
    expect(Math.abs(after.heapUsed - before.heapUsed)).toBeLessThan(HEAP_GROWTH_LIMIT);
  }, 240_000);
});
