import type { ClusterBus } from './cluster-bus.interface.js';
import type { ClusterHealth } from './cluster-health.interface.js';
import type { IdempotencyLimits } from '../signing/idempotency-store.js';
import type { HolderDirectory } from './holder-directory.interface.js';
import type { Idempotency } from './idempotency.interface.js';

/** The shared pieces: in memory for one instance, in Redis for a cluster. */
export interface ClusterParts {
  readonly directory: HolderDirectory;
  readonly bus: ClusterBus;
  readonly health: ClusterHealth;
  /** How often leases are renewed, and so how often dead instances are looked for, in ms. */
  readonly checkIntervalMs: number;
  /** The idempotency keys; a repeat elsewhere waits at most `maxWaitMs` for the first answer. */
  idempotency(limits: IdempotencyLimits, maxWaitMs: number): Idempotency;
  close(): Promise<void>;
}
