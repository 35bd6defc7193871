import { jest } from '@jest/globals';
import { InMemoryCluster } from '../cluster/in-memory-cluster.js';
import {
  ANSWER,
  FakeLink,
  flush,
  instance,
  KEY,
  route,
  settle,
} from '../../test/support/in-process-cluster.js';

/** Keys in transit: the holder's instance is shutting down and the holder is moving. */
describe('RemoteRouting: a request for a key in transit', () => {
  let shared: InMemoryCluster;
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;
  let c: ReturnType<typeof instance>;

  beforeEach(() => {
    shared = new InMemoryCluster();
    [a, b, c] = [instance(shared), instance(shared), instance(shared)];
  });

  afterEach(async () => {
    await Promise.all([a, b, c].map((one) => one.relay.onApplicationShutdown()));
  });

  /**
   * b shuts down: it marks its holder's key in transit, closes the holder and leaves. Resolves with
   * the time just before the key was marked.
   */
  async function moveAway(graceMs = 1_000): Promise<number> {
    const old = await b.connect(new FakeLink('c1'));
    const markedAt = Date.now();
    await b.parts.directory.markInTransit([KEY], graceMs);
    b.leave(old);
    await b.parts.directory.close();
    await flush();
    return markedAt;
  }

  it('waits for the holder and is delivered where it proves itself again, on another instance', async () => {
    await moveAway();
    const result = settle(a.router.request$(route('x')));
    await flush();
    expect(a.router.pendingCount).toBe(1);
    const fresh = await c.connect(new FakeLink('c2'));
    await flush();
    expect(fresh.delivered).toHaveLength(1);
    c.router.answer(fresh, fresh.delivered[0].id, ANSWER);
    await flush();
    await expect(result).resolves.toBe('ok');
  });

  it('is delivered when the holder proves itself again on the caller’s own instance', async () => {
    await moveAway();
    const result = settle(a.router.request$(route('x')));
    await flush();
    const fresh = await a.connect(new FakeLink('c2'));
    expect(fresh.delivered).toHaveLength(1);
    a.router.answer(fresh, fresh.delivered[0].id, ANSWER);
    await expect(result).resolves.toBe('ok');
  });

  it('is delivered when the holder returns between the lookup and the transit check', async () => {
    await moveAway();
    let fresh: FakeLink | undefined;
    const transitMs = a.parts.directory.transitMs.bind(a.parts.directory);
    jest.spyOn(a.parts.directory, 'transitMs').mockImplementationOnce(async (keyId) => {
      fresh = await c.connect(new FakeLink('c2'));
      return transitMs(keyId);
    });
    const result = settle(a.router.request$(route('x')));
    await flush();
    await flush();
    expect(fresh?.delivered).toHaveLength(1);
    expect(a.router.pendingCount).toBe(1);
    c.router.answer(fresh as FakeLink, fresh?.delivered[0].id ?? '', ANSWER);
    await flush();
    await expect(result).resolves.toBe('ok');
  });

  it('fails with not_connected once the transit ends without the holder', async () => {
    // Measured from the mark, not from the request: a slow machine can spend much of the transit
    // getting there. A timer may fire a ms or two early by Date.now().
    const markedAt = await moveAway(60);
    await expect(settle(a.router.request$(route('x')))).resolves.toBe('not_connected');
    expect(Date.now() - markedAt).toBeGreaterThanOrEqual(55);
    expect(a.router.pendingCount).toBe(0);
  });

  it('times out within its own timeout when that is shorter than the transit', async () => {
    await moveAway(5_000);
    const request = { ...route('x'), timeoutMs: 50 };
    await expect(settle(a.router.request$(request))).resolves.toBe('timeout');
    expect(a.router.pendingCount).toBe(0);
  });

  it('keeps today’s 404 for a key whose holder simply disconnected', async () => {
    const old = await b.connect(new FakeLink('c1'));
    b.leave(old);
    await flush();
    await expect(settle(a.router.request$(route('x')))).resolves.toBe('not_connected');
  });
});
