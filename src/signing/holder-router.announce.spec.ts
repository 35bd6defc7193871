import { jest } from '@jest/globals';
import { InMemoryCluster } from '../cluster/in-memory-cluster.js';
import type { ClaimOutcome } from '../cluster/holder-directory.interface.js';
import { ANSWER, FakeLink, flush, instance, route, settle } from '../../test/support/in-process-cluster.js';

describe('HolderRouter: a holder whose claim the directory has not acknowledged yet', () => {
  it('gets a request that arrived meanwhile only once it is announced (v2 `ready`)', async () => {
    const a = instance(new InMemoryCluster());
    const { directory } = a.parts;
    const claim = directory.claim.bind(directory);
    let acknowledge = (): void => undefined;
    jest.spyOn(directory, 'claim').mockImplementationOnce(
      (keyId, protocol) =>
        new Promise<ClaimOutcome>((resolve) => {
          acknowledge = () => resolve(claim(keyId, protocol));
        }),
    );
    const link = new FakeLink('c1');
    const announcedWith: number[] = [];
    const attaching = a.connect(link, () => announcedWith.push(link.delivered.length));
    const result = settle(a.router.request$(route('x')));
    await flush();
    expect(link.delivered).toHaveLength(0);
    expect(a.router.pendingCount).toBe(1);
    acknowledge();
    await attaching;
    expect(announcedWith).toEqual([0]);
    expect(link.delivered).toHaveLength(1);
    a.router.answer(link, link.delivered[0].id, ANSWER);
    await expect(result).resolves.toBe('ok');
    await a.relay.onApplicationShutdown();
  });
});
