import { jest } from '@jest/globals';
import { InMemoryCluster } from '../cluster/in-memory-cluster.js';
import { ANSWER, FakeLink, flush, instance, route, settle } from '../../test/support/in-process-cluster.js';

describe('ClusterRelay: requests between two instances of one process', () => {
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;

  beforeEach(() => {
    const shared = new InMemoryCluster();
    a = instance(shared);
    b = instance(shared);
  });

  afterEach(async () => {
    await a.relay.onApplicationShutdown();
    await b.relay.onApplicationShutdown();
  });

  it('delivers a request to the holder’s instance and settles its answer at the caller’s, by the same id', async () => {
    const link = await b.connect(new FakeLink('c1'));
    const result = settle(a.router.request$(route('x')));
    await flush();
    expect(link.delivered).toHaveLength(1);
    expect(a.router.pendingCount).toBe(1);
    expect(b.router.answer(link, link.delivered[0].id, ANSWER)).toBe('verified');
    await expect(result).resolves.toBe('ok');
    expect(a.router.pendingCount).toBe(0);
    expect(b.router.forwarded.size).toBe(0);
  });

  it('passes a decline back, and an unsubscribe on to the holder as withdrawn', async () => {
    const link = await b.connect(new FakeLink('c1'));
    const declined = settle(a.router.request$(route('no')));
    await flush();
    expect(b.router.decline(link, link.delivered[0].id, 'no thanks')).toBe(true);
    await expect(declined).resolves.toBe('rejected');
    const subscription = a.router.request$(route('later')).subscribe({ error: () => undefined });
    await flush();
    subscription.unsubscribe();
    await flush();
    expect(link.cancelled).toEqual([[link.delivered[1].id, 'withdrawn']]);
  });

  it('moves a waiting request to the instance where its holder proves itself again, with the same id', async () => {
    const old = await b.connect(new FakeLink('c1'));
    const result = settle(a.router.request$(route('x')));
    await flush();
    b.leave(old);
    await flush();
    const fresh = await a.connect(new FakeLink('c2'));
    expect(fresh.delivered.map((request) => request.id)).toEqual([old.delivered[0].id]);
    a.router.answer(fresh, fresh.delivered[0].id, ANSWER);
    await expect(result).resolves.toBe('ok');
  });

  it('closes the older connection with 4001 when the key proves itself on another instance', async () => {
    const old = await b.connect(new FakeLink('c1'));
    await a.connect(new FakeLink('c2'));
    await flush();
    expect(old.closed).toEqual([4001]);
  });

  it('finds a key once in the directory, and looks again once its holder has left', async () => {
    const locate = jest.spyOn(a.parts.directory, 'locate');
    const link = await b.connect(new FakeLink('c1'));
    for (const text of ['x', 'y']) {
      const result = settle(a.router.request$(route(text)));
      await flush();
      b.router.answer(link, link.delivered.at(-1)!.id, ANSWER);
      await expect(result).resolves.toBe('ok');
    }
    expect(locate).toHaveBeenCalledTimes(1);
    b.leave(link);
    await flush();
    await expect(settle(a.router.request$(route('z')))).resolves.toBe('not_connected');
    // Not cached: looked up, then once more after the check for a key in transit.
    expect(locate).toHaveBeenCalledTimes(3);
  });

  it('sends a v1 holder’s answer back unchecked: the caller’s instance checks it', async () => {
    const link = await b.connect(new FakeLink('c1', 'v1'));
    const result = settle(a.router.request$(route('x')));
    await flush();
    expect(b.router.answer(link, link.delivered[0].id, ANSWER)).toBe('forwarded');
    expect(b.verifier.verify).not.toHaveBeenCalled();
    await expect(result).resolves.toBe('ok');
    expect(a.verifier.verifyToCompact).toHaveBeenCalledTimes(1);
  });

  it('answers not_connected for a key held nowhere', async () => {
    await expect(settle(a.router.request$(route('x')))).resolves.toBe('not_connected');
  });
});
