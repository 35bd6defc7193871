import { IdempotencyStore } from '../signing/idempotency-store.js';
import type { ClusterHealth } from './cluster-health.interface.js';
import type { ClusterParts } from './cluster-parts.interface.js';
import { InMemoryClusterBus } from './in-memory-cluster-bus.js';
import { InMemoryCluster } from './in-memory-cluster.js';
import { InMemoryHolderDirectory } from './in-memory-holder-directory.js';

const CHECK_INTERVAL_MS = 1_000;

/**
 * One instance's parts in memory. Instances given the same `shared` cluster see each other (in
 * tests); without it the instance is alone.
 */
export function inMemoryClusterParts(shared?: InMemoryCluster): ClusterParts {
  const cluster = shared ?? new InMemoryCluster();
  const health: ClusterHealth = {
    clustered: shared !== undefined,
    available: true,
    onChange: () => undefined,
  };
  const directory = new InMemoryHolderDirectory(cluster);
  const bus = new InMemoryClusterBus(cluster, directory.instanceId);
  return {
    directory,
    bus,
    health,
    checkIntervalMs: CHECK_INTERVAL_MS,
    idempotency: (limits) => (cluster.idempotency ??= new IdempotencyStore(limits)),
    close: async () => {
      await bus.close();
      await directory.close();
    },
  };
}
