import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ProtocolVersion } from '../protocol/v2-frames.js';
import type { ClaimOutcome, HolderDirectory, HolderLocation } from './holder-directory.interface.js';
import type { RedisConnection } from './redis-connection.js';
import { CENSUS, CLAIM, LOCATE, RELEASE, RENEW, RETIRE } from './redis-scripts.js';

type Reply = string | number | null | Reply[];

interface Claimed {
  readonly protocol: ProtocolVersion;
  /** When the holder proved itself, on Redis's clock; '0' until the first claim is acknowledged. */
  provenAt: string;
}

/** The holder directory in Redis, with this instance's lease renewed every third of its TTL. */
export class RedisHolderDirectory implements HolderDirectory {
  readonly instanceId = randomUUID();
  private readonly logger = new Logger('Cluster');
  private readonly claimed = new Map<string, Claimed>();
  private readonly renewal: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {
    this.renewal = setInterval(() => void this.renew(), Math.max(1, Math.floor(ttlMs / 3)));
    this.renewal.unref();
  }

  /** Takes the lease; false when Redis cannot be reached. */
  async renew(): Promise<boolean> {
    if (!this.redis.available || this.closed) return false;
    try {
      await this.run(RENEW, this.instanceId, String(this.ttlMs));
      return true;
    } catch (error) {
      this.logger.warn(`lease not renewed: ${(error as Error).message}`);
      return false;
    }
  }

  async claim(keyId: string, protocol: ProtocolVersion): Promise<ClaimOutcome> {
    const entry: Claimed = { protocol, provenAt: '0' };
    this.claimed.set(keyId, entry);
    return this.write(keyId, entry);
  }

  /** During an outage the key stays listed, and {@link resync} releases it. */
  async release(keyId: string): Promise<void> {
    if (!this.redis.available) return;
    this.claimed.delete(keyId);
    await this.run(RELEASE, keyId, this.instanceId);
  }

  async locate(keyId: string): Promise<HolderLocation | undefined> {
    const found = await this.run(LOCATE, keyId);
    if (typeof found !== 'string') return undefined;
    const [instanceId, protocol] = found.split(' ');
    return { instanceId, protocol: protocol as ProtocolVersion };
  }

  async markInTransit(keyIds: readonly string[], graceMs: number): Promise<void> {
    if (keyIds.length === 0 || graceMs <= 0) return;
    const pipeline = this.redis.client.pipeline();
    for (const keyId of keyIds) pipeline.set(this.transitKey(keyId), this.instanceId, 'PX', graceMs);
    for (const [error] of (await pipeline.exec()) ?? []) if (error !== null) throw error;
  }

  async transitMs(keyId: string): Promise<number> {
    return Math.max(0, await this.redis.client.pttl(this.transitKey(keyId)));
  }

  async holderCount(): Promise<number> {
    return (await this.census())[1];
  }

  async instanceCount(): Promise<number> {
    return (await this.census())[0];
  }

  async liveInstances(instanceIds: readonly string[]): Promise<Set<string>> {
    if (instanceIds.length === 0) return new Set();
    const pipeline = this.redis.client.pipeline();
    for (const id of instanceIds) pipeline.exists(`${this.prefix}:node:${id}`);
    const replies = (await pipeline.exec()) ?? [];
    const live = new Set<string>();
    replies.forEach(([error, exists], index) => {
      if (error !== null) throw error;
      if (exists === 1) live.add(instanceIds[index]);
    });
    return live;
  }

  async resync(local: ReadonlyMap<string, ProtocolVersion>): Promise<Map<string, ClaimOutcome>> {
    await this.renew();
    for (const keyId of [...this.claimed.keys()]) {
      if (!local.has(keyId)) await this.release(keyId);
    }
    const outcomes = new Map<string, ClaimOutcome>();
    for (const [keyId, protocol] of local) {
      let entry = this.claimed.get(keyId);
      if (entry === undefined) {
        entry = { protocol, provenAt: '0' };
        this.claimed.set(keyId, entry);
      }
      outcomes.set(keyId, await this.write(keyId, entry));
    }
    return outcomes;
  }

  async close(): Promise<void> {
    clearInterval(this.renewal);
    this.closed = true;
    this.claimed.clear();
    if (this.redis.available) await this.run(RETIRE, this.instanceId).catch(() => undefined);
  }

  private async write(keyId: string, entry: Claimed): Promise<ClaimOutcome> {
    const reply = (await this.run(CLAIM, keyId, this.instanceId, entry.provenAt, entry.protocol)) as [
      number,
      string,
      string,
    ];
    const [won, other, provenAt] = reply;
    if (won !== 1) {
      if (this.claimed.get(keyId) === entry) this.claimed.delete(keyId);
      return { won: false };
    }
    entry.provenAt = provenAt;
    return other === '' ? { won: true } : { won: true, replaced: other };
  }

  private transitKey(keyId: string): string {
    return `${this.prefix}:transit:${keyId}`;
  }

  private async census(): Promise<[number, number]> {
    return (await this.run(CENSUS)) as [number, number];
  }

  private run(script: string, ...args: string[]): Promise<Reply> {
    return this.redis.client.eval(script, 0, this.prefix, ...args) as Promise<Reply>;
  }
}
