import type { ClusterBus } from './cluster-bus.interface.js';
import type { ClusterHealth } from './cluster-health.interface.js';
import type { HolderDirectory } from './holder-directory.interface.js';

/** The shared pieces: in memory for one instance, in Redis for a cluster. */
export interface ClusterParts {
  readonly directory: HolderDirectory;
  readonly bus: ClusterBus;
  readonly health: ClusterHealth;
  /** How often leases are renewed, and so how often dead instances are looked for, in ms. */
  readonly checkIntervalMs: number;
  close(): Promise<void>;
}
