import type { ProtocolVersion } from '../protocol/v2-frames.js';
import type { ClaimOutcome, HolderDirectory, HolderLocation } from './holder-directory.interface.js';
import type { InMemoryCluster } from './in-memory-cluster.js';

/** The holder directory kept in this process. */
export class InMemoryHolderDirectory implements HolderDirectory {
  readonly instanceId: string;
  /** When each key held here was proven. */
  private readonly claimed = new Map<string, number>();

  constructor(private readonly cluster: InMemoryCluster) {
    this.instanceId = cluster.join();
  }

  claim(keyId: string, protocol: ProtocolVersion): ClaimOutcome {
    return this.write(keyId, protocol, this.cluster.now());
  }

  release(keyId: string): Promise<void> {
    this.claimed.delete(keyId);
    if (this.cluster.holders.get(keyId)?.instanceId === this.instanceId) this.cluster.holders.delete(keyId);
    return Promise.resolve();
  }

  locate(keyId: string): Promise<HolderLocation | undefined> {
    const entry = this.cluster.holders.get(keyId);
    const live = entry !== undefined && this.cluster.live.has(entry.instanceId);
    return Promise.resolve(live ? { instanceId: entry.instanceId, protocol: entry.protocol } : undefined);
  }

  markInTransit(keyIds: readonly string[], graceMs: number): Promise<void> {
    const until = Date.now() + graceMs;
    for (const keyId of keyIds) this.cluster.transit.set(keyId, until);
    return Promise.resolve();
  }

  transitMs(keyId: string): Promise<number> {
    const left = (this.cluster.transit.get(keyId) ?? 0) - Date.now();
    if (left <= 0) this.cluster.transit.delete(keyId);
    return Promise.resolve(Math.max(0, left));
  }

  holderCount(): Promise<number> {
    let count = 0;
    for (const entry of this.cluster.holders.values()) if (this.cluster.live.has(entry.instanceId)) count++;
    return Promise.resolve(count);
  }

  instanceCount(): Promise<number> {
    return Promise.resolve(this.cluster.live.size);
  }

  liveInstances(instanceIds: readonly string[]): Promise<Set<string>> {
    return Promise.resolve(new Set(instanceIds.filter((id) => this.cluster.live.has(id))));
  }

  /** Like Redis's: what left is released, and a later proof elsewhere keeps its key. */
  resync(local: ReadonlyMap<string, ProtocolVersion>): Promise<Map<string, ClaimOutcome>> {
    for (const keyId of [...this.claimed.keys()]) if (!local.has(keyId)) void this.release(keyId);
    const outcomes = new Map<string, ClaimOutcome>();
    for (const [keyId, protocol] of local) {
      const provenAt = this.claimed.get(keyId) ?? this.cluster.now();
      const entry = this.cluster.holders.get(keyId);
      const later =
        entry !== undefined && this.cluster.live.has(entry.instanceId) && entry.provenAt > provenAt;
      if (later && entry.instanceId !== this.instanceId) {
        this.claimed.delete(keyId);
        outcomes.set(keyId, { won: false });
      } else {
        outcomes.set(keyId, this.write(keyId, protocol, provenAt));
      }
    }
    return Promise.resolve(outcomes);
  }

  close(): Promise<void> {
    this.cluster.leave(this.instanceId);
    return Promise.resolve();
  }

  private write(keyId: string, protocol: ProtocolVersion, provenAt: number): ClaimOutcome {
    const previous = this.cluster.holders.get(keyId);
    this.claimed.set(keyId, provenAt);
    this.cluster.transit.delete(keyId);
    this.cluster.holders.set(keyId, { instanceId: this.instanceId, protocol, provenAt });
    const replaced =
      previous !== undefined &&
      previous.instanceId !== this.instanceId &&
      this.cluster.live.has(previous.instanceId)
        ? previous.instanceId
        : undefined;
    return replaced === undefined ? { won: true } : { won: true, replaced };
  }
}
