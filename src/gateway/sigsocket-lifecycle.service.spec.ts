import { InMemoryCluster } from '../cluster/in-memory-cluster.js';
import { inMemoryClusterParts } from '../cluster/in-memory-cluster-parts.js';
import type { RegistryService } from '../registry/registry.service.js';
import type { HolderRouter } from '../signing/holder-router.service.js';
import { resolveOptions } from '../sigsocket-options.interface.js';
import { SigSocketLifecycle } from './sigsocket-lifecycle.service.js';
import type { SigSocketGateway } from './sigsocket.gateway.js';

const KEY = `02${'11'.repeat(32)}`;

describe('SigSocketLifecycle: the cluster steps of a graceful shutdown', () => {
  it('marks the holders’ keys in transit after the drain, closes the holders, then removes the lease', async () => {
    const shared = new InMemoryCluster();
    const [here, other] = [inMemoryClusterParts(shared), inMemoryClusterParts(shared)];
    await here.directory.claim(KEY, 'v2');
    const steps: string[] = [];
    const note = async (step: string): Promise<void> => {
      steps.push(
        `${step}: transit ${(await other.directory.transitMs(KEY)) > 0}, ` +
          `instances ${await other.directory.instanceCount()}`,
      );
    };
    const router = {
      lifecycle: { leave: () => undefined },
      stopAccepting: () => undefined,
      pendingCount: 0,
      drain: () => note('drain'),
    } as unknown as HolderRouter;
    const gateway = { closeAll: () => note('closeAll') } as unknown as SigSocketGateway;
    const registry = { localKeys: () => new Map([[KEY, 'v2']]) } as unknown as RegistryService;
    const options = resolveOptions({ reconnectGraceMs: 4_000 });
    const lifecycle = new SigSocketLifecycle(options, router, gateway, registry, here);

    await lifecycle.beforeApplicationShutdown('SIGTERM');
    await note('after');

    expect(steps).toEqual([
      'drain: transit false, instances 2',
      'closeAll: transit true, instances 2',
      'after: transit true, instances 1',
    ]);
    await expect(other.directory.locate(KEY)).resolves.toBeUndefined();
    expect(await other.directory.transitMs(KEY)).toBeGreaterThan(3_000);
    await Promise.all([here.close(), other.close()]);
  });
});
