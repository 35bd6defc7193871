import type { TestHolder } from '../support/test-holder.js';
import { eventually } from '../support/wait.js';
import { attackBody, honestBody, perSecond, stalledHolder } from './support/attack.js';
import { HolderFleet } from './support/holder-fleet.js';
import { metric, mib, MiB, report, watchRun } from './support/report.js';
import { ServerProcess } from './support/server-process.js';
import { loop, SignClient, Tally } from './support/sign-load.js';

const ATTACK_SECONDS = 60;
const ATTACK_CALLERS = 4;
const RSS_LIMIT = 600 * MiB;
const HONEST_MIN_PER_SECOND = 4;

/**
 * The attack of issue 9: register a key, stop reading, and POST /sign for it in a loop with
 * 64 KiB messages and `timeoutMs: 1`. The attacker registers a new key whenever the server drops
 * the stalled one. Default limits.
 */
describe('a key holder that stops reading', () => {
  let server: ServerProcess;
  let fleet: HolderFleet;
  const attackers: TestHolder[] = [];

  beforeAll(async () => {
    server = await ServerProcess.start({});
    fleet = await HolderFleet.start(server.wsUrl, 1);
    await eventually(async () => (await metric(server, 'sigsocket_connections')) === 1, 10_000, 'the fleet');
  });

  afterAll(async () => {
    for (const attacker of attackers) attacker.terminate();
    await fleet?.stop();
    await server?.stop();
  });

  it(`keeps RSS under ${mib(RSS_LIMIT)} and an honest holder signing for ${ATTACK_SECONDS} s`, async () => {
    const attack = new SignClient(server.port, ATTACK_CALLERS);
    const honest = new SignClient(server.port, 2);
    const attackTally = new Tally();
    const honestTally = new Tally();
    const signedAt: number[] = [];
    let attacker = await stalledHolder(server.wsUrl);
    attackers.push(attacker);
    let body = attackBody(attacker.publicKey);
    let replacing: Promise<void> | undefined;
    const replace = (): Promise<void> =>
      (replacing ??= stalledHolder(server.wsUrl).then((next) => {
        attacker.terminate();
        attackers.push(next);
        attacker = next;
        body = attackBody(next.publicKey);
        replacing = undefined;
      }));

    const start = Date.now();
    const run = await watchRun(server, RSS_LIMIT, ATTACK_SECONDS, (stop) =>
      Promise.all([
        loop(ATTACK_CALLERS, stop, async () => {
          const { label } = await attack.post(body);
          attackTally.add(label);
          if (label === '404 not_connected') await replace();
        }),
        loop(2, stop, async () => {
          const { label } = await honest.post(honestBody(fleet.keys[0]));
          honestTally.add(label);
          if (label === 'ok') signedAt.push(Date.now());
        }),
      ]).finally(() => {
        attack.close();
        honest.close();
      }),
    );

    const rates = perSecond(signedAt, start, run.seconds);
    const dropped = server.running ? await metric(server, 'sigsocket_ws_closes_total', { code: '1013' }) : 0;
    report(`stalled holder: attack ${attackTally.toString()}`);
    report(`stalled holder: honest ${honestTally.toString()}; signs each second: ${rates.join(' ')}`);
    report(
      `stalled holder: max RSS ${mib(run.maxRss)} (limit ${mib(RSS_LIMIT)}); dropped with 1013: ${dropped}`,
    );
    if (run.failure !== undefined) throw new Error(`${run.failure}\n${server.output()}`);
    expect(run.maxRss).toBeLessThan(RSS_LIMIT);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(HONEST_MIN_PER_SECOND);
    expect(honestTally.get('ok')).toBe([...honestTally.counts.values()].reduce((a, b) => a + b, 0));
    expect(attackTally.get('503 holder_busy')).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
  }, 150_000);
});
