import { IdempotencyStore } from '../signing/idempotency-store.js';
import type { ClusterParts } from './cluster-parts.interface.js';
import { RedisClusterBus } from './redis-cluster-bus.js';
import { RedisConnection } from './redis-connection.js';
import { RedisHolderDirectory } from './redis-holder-directory.js';
import { RedisIdempotency } from './redis-idempotency.js';

export interface RedisClusterOptions {
  readonly redisUrl: string;
  readonly clusterPrefix: string;
  readonly clusterNodeTtlMs: number;
}

/** One instance's parts on Redis: connected (or, during an outage, reconnecting) and leased. */
export async function redisClusterParts(options: RedisClusterOptions): Promise<ClusterParts> {
  const redis = new RedisConnection(options.redisUrl);
  const directory = new RedisHolderDirectory(redis, options.clusterPrefix, options.clusterNodeTtlMs);
  const bus = new RedisClusterBus(redis, options.clusterPrefix, directory.instanceId);
  redis.onChange((up) => {
    if (up) void directory.renew();
  });
  await redis.connected();
  await directory.renew();
  await bus.start();
  return {
    directory,
    bus,
    health: redis,
    checkIntervalMs: Math.max(1, Math.floor(options.clusterNodeTtlMs / 3)),
    idempotency: (limits, maxWaitMs) =>
      new RedisIdempotency(
        new IdempotencyStore(limits),
        redis,
        options.clusterPrefix,
        limits.ttlMs,
        maxWaitMs,
      ),
    close: async () => {
      await bus.close();
      await directory.close();
      await redis.close();
    },
  };
}
