import type { TestHolder } from '../support/test-holder.js';
import { eventually } from '../support/wait.js';
import { attackBody, largeBody, stalledHolder } from './support/attack.js';
import { HolderFleet } from './support/holder-fleet.js';
import { metric, mib, MiB, report, watchRun } from './support/report.js';
import { ServerProcess } from './support/server-process.js';
import { loop, SignClient, Tally } from './support/sign-load.js';

const BUDGET = 32 * MiB;
const STALLED_HOLDERS = 16;
const ATTACK_SECONDS = 20;
const ATTACK_CALLERS = 6;
const RSS_LIMIT = 600 * MiB;
/** The largest frame the server sends for a 64 KiB message. */
const FRAME_BYTES = Math.ceil((64 * 1024) / 3) * 4;

/**
 * Many holders stop reading at once, more than the server-wide budget can hold at 4 MiB each.
 * They stay stalled for the whole attack (HOLDER_STALL_MS is longer), the worst case for the budget.
 */
describe('many key holders that stop reading', () => {
  let server: ServerProcess;
  let fleet: HolderFleet;
  const stalled: TestHolder[] = [];

  beforeAll(async () => {
    server = await ServerProcess.start({ MAX_BUFFERED_BYTES: String(BUDGET), HOLDER_STALL_MS: '120000' });
    fleet = await HolderFleet.start(server.wsUrl, 1);
    for (let i = 0; i < STALLED_HOLDERS; i++) stalled.push(await stalledHolder(server.wsUrl));
    const holders = STALLED_HOLDERS + 1;
    await eventually(
      async () => (await metric(server, 'sigsocket_connections')) === holders,
      10_000,
      'holders',
    );
  });

  afterAll(async () => {
    for (const holder of stalled) holder.terminate();
    await fleet?.stop();
    await server?.stop();
  });

  it(`holds queued bytes to MAX_BUFFERED_BYTES (${mib(BUDGET)}) and answers 503 beyond it`, async () => {
    const attack = new SignClient(server.port, ATTACK_CALLERS);
    const honest = new SignClient(server.port, 1);
    const attackTally = new Tally();
    const honestTally = new Tally();
    const bodies = stalled.map((holder) => attackBody(holder.publicKey));
    let next = 0;
    let maxQueued = 0;
    const run = await watchRun(server, RSS_LIMIT, ATTACK_SECONDS, (stop) =>
      Promise.all([
        // Each caller moves on to the next stalled holder whenever one is full.
        loop(ATTACK_CALLERS, stop, async () => {
          const { label } = await attack.post(bodies[next % bodies.length]);
          attackTally.add(label);
          if (label !== '504 timeout') next++;
        }),
        // A healthy holder's large requests fail too once the budget has no room for them.
        loop(1, stop, async () => {
          honestTally.add((await honest.post(largeBody(fleet.keys[0]))).label);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }),
        loop(1, stop, async () => {
          maxQueued = Math.max(maxQueued, await metric(server, 'sigsocket_buffered_bytes'));
          await new Promise((resolve) => setTimeout(resolve, 200));
        }),
      ]).finally(() => attack.close()),
    );
    report(`send budget: attack ${attackTally.toString()}`);
    report(`send budget: honest ${honestTally.toString()}`);
    report(`send budget: most bytes queued ${maxQueued} (budget ${BUDGET}); max RSS ${mib(run.maxRss)}`);
    if (run.failure !== undefined) throw new Error(`${run.failure}\n${server.output()}`);
    expect(maxQueued).toBeGreaterThan(BUDGET - 2 * FRAME_BYTES);
    expect(maxQueued).toBeLessThanOrEqual(BUDGET);
    expect(run.maxRss).toBeLessThan(RSS_LIMIT);
    expect(attackTally.get('503 holder_busy')).toBeGreaterThan(0);
    expect(honestTally.get('503 holder_busy')).toBeGreaterThan(0);

    // The stalled holders go away: their bytes leave the budget and honest requests pass again.
    for (const holder of stalled.splice(0)) holder.terminate();
    await eventually(
      async () => (await metric(server, 'sigsocket_buffered_bytes')) === 0,
      15_000,
      'an empty queue',
    );
    const after = await honest.post(largeBody(fleet.keys[0]));
    honest.close();
    expect(after.label).toBe('ok');
  }, 150_000);
});
