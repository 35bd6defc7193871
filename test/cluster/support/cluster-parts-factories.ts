import type { ClusterParts } from '../../../src/cluster/cluster-parts.interface.js';
import { InMemoryCluster } from '../../../src/cluster/in-memory-cluster.js';
import { inMemoryClusterParts } from '../../../src/cluster/in-memory-cluster-parts.js';
import { redisClusterParts } from '../../../src/cluster/redis-cluster-parts.js';
import { runPrefix, TEST_REDIS_URL } from './cluster-server.js';

/** Makes instances that see each other: in one process, or through one Redis and prefix. */
export type PartsFactory = () => () => Promise<ClusterParts>;

export const IMPLEMENTATIONS: [string, PartsFactory][] = [
  [
    'in memory',
    () => {
      const shared = new InMemoryCluster();
      return () => Promise.resolve(inMemoryClusterParts(shared));
    },
  ],
  [
    'on Redis',
    () => {
      const clusterPrefix = runPrefix('contract');
      return () => redisClusterParts({ redisUrl: TEST_REDIS_URL, clusterPrefix, clusterNodeTtlMs: 3_000 });
    },
  ],
];
