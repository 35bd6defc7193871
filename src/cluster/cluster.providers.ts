import type { Provider } from '@nestjs/common';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { CLUSTER_PARTS } from './cluster.constants.js';
import type { ClusterParts } from './cluster-parts.interface.js';
import { inMemoryClusterParts } from './in-memory-cluster-parts.js';

/**
 * The one place the mode is chosen: Redis when `redisUrl` is set, memory otherwise. The Redis
 * code is only loaded in cluster mode.
 */
export async function clusterParts(options: ResolvedSigSocketOptions): Promise<ClusterParts> {
  if (options.redisUrl === '') return inMemoryClusterParts();
  const { redisClusterParts } = await import('./redis-cluster-parts.js');
  return redisClusterParts(options);
}

export const CLUSTER_PARTS_PROVIDER: Provider = {
  provide: CLUSTER_PARTS,
  useFactory: clusterParts,
  inject: [SIGSOCKET_OPTIONS],
};
