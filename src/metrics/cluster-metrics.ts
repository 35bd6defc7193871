import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What became of a request delivered through another instance. */
export type RemoteDeliveryOutcome = 'verified' | 'invalid_signature' | 'unknown' | 'declined' | 'failed';

const REMOTE_OUTCOMES: readonly RemoteDeliveryOutcome[] = [
  'verified',
  'invalid_signature',
  'unknown',
  'declined',
  'failed',
];

/** Seconds; a hop over Redis takes about a millisecond on one host. */
const HOP_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

/** The cluster's series, registered only in cluster mode. */
export class ClusterMetrics {
  private readonly redisUp: Gauge;
  private readonly remoteDeliveries: Counter<'outcome'>;
  private readonly hop: Histogram;

  constructor(registry: Registry) {
    this.redisUp = new Gauge({
      name: 'sigsocket_cluster_redis_up',
      help: '1 while this instance reaches Redis, 0 while it does not.',
      registers: [registry],
    });
    this.remoteDeliveries = new Counter({
      name: 'sigsocket_cluster_remote_deliveries_total',
      help: 'Requests from this instance answered through another instance, by outcome.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    this.hop = new Histogram({
      name: 'sigsocket_cluster_hop_seconds',
      help: "Time a request took from the caller's instance to the holder's, clocks of both included.",
      buckets: HOP_BUCKETS,
      registers: [registry],
    });
    for (const outcome of REMOTE_OUTCOMES) this.remoteDeliveries.inc({ outcome }, 0);
  }

  recordStore(up: boolean): void {
    this.redisUp.set(up ? 1 : 0);
  }

  recordRemoteDelivery(outcome: RemoteDeliveryOutcome): void {
    this.remoteDeliveries.inc({ outcome });
  }

  recordHop(ms: number): void {
    this.hop.observe(Math.max(0, ms) / 1000);
  }
}
