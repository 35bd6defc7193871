import { randomUUID } from 'node:crypto';
import type { ProtocolVersion } from '../protocol/v2-frames.js';
import type { IdempotencyStore } from '../signing/idempotency-store.js';
import type { ClusterMessage } from './cluster-message.js';

interface Entry {
  readonly instanceId: string;
  readonly protocol: ProtocolVersion;
  readonly provenAt: number;
}

/**
 * The state instances share, kept in this process: one per single-instance server, or one for
 * several in-process instances in tests.
 */
export class InMemoryCluster {
  readonly holders = new Map<string, Entry>();
  readonly live = new Set<string>();
  /** Keys in transit → when their transit ends (Date.now()). */
  readonly transit = new Map<string, number>();
  readonly handlers = new Map<string, ((message: ClusterMessage) => void)[]>();
  /** One store for every instance of the cluster, made by the first that asks. */
  idempotency: IdempotencyStore | undefined;
  private clock = 0;

  /** A new instance id, alive from now on. */
  join(): string {
    const id = randomUUID();
    this.live.add(id);
    return id;
  }

  leave(instanceId: string): void {
    this.live.delete(instanceId);
    this.handlers.delete(instanceId);
    for (const [keyId, entry] of this.holders) {
      if (entry.instanceId === instanceId) this.holders.delete(keyId);
    }
  }

  /** Strictly increasing, like a proof time taken from one clock. */
  now(): number {
    this.clock = Math.max(this.clock + 1, Date.now());
    return this.clock;
  }
}
