import { Inject, Injectable, Optional } from '@nestjs/common';
import { CLUSTER_PARTS } from '../cluster/cluster.constants.js';
import type { ClusterParts } from '../cluster/cluster-parts.interface.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { isCanonicalKeyId } from '../protocol/public-key.js';
import type { ProtocolVersion } from '../protocol/v2-frames.js';
import { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import type { HolderLink } from './holder-link.interface.js';

/** Public key → the one live link to the holder of it. */
@Injectable()
export class RegistryService {
  private readonly holders = new Map<string, HolderLink>();
  private readonly byProtocol: Record<ProtocolVersion, number> = { v1: 0, v2: 0 };

  constructor(
    private readonly verifier: SignatureVerifierService,
    @Optional() @Inject(CLUSTER_PARTS) private readonly cluster?: ClusterParts,
  ) {}

  /** Registers a holder and returns the connection it replaces, if any. */
  register(connection: HolderLink): HolderLink | undefined {
    const previous = this.holders.get(connection.keyId);
    if (previous === connection) return undefined;
    this.holders.set(connection.keyId, connection);
    this.byProtocol[connection.protocol]++;
    if (previous !== undefined) this.byProtocol[previous.protocol]--;
    return previous;
  }

  /** Removes the holder if it is still the registered one for its key. */
  unregister(connection: HolderLink): boolean {
    if (this.holders.get(connection.keyId) !== connection) return false;
    this.holders.delete(connection.keyId);
    this.byProtocol[connection.protocol]--;
    return true;
  }

  /** The live connection for a canonical key id. */
  get(keyId: string): HolderLink | undefined {
    return this.holders.get(keyId);
  }

  /**
   * Resolves any accepted hex form of a key to its canonical id.
   * @throws SigSocketError `invalid_request` when the text is not a key on secp256k1.
   */
  resolveKeyId(publicKey: string): string {
    if (isCanonicalKeyId(publicKey) && this.holders.has(publicKey)) return publicKey;
    const key = this.verifier.normalizeKey(publicKey);
    if (key === null) {
      throw new SigSocketError(ErrorCode.InvalidRequest, 'publicKey is not a valid secp256k1 public key');
    }
    return key.id;
  }

  /**
   * Whether a holder for this key (any accepted hex form) is connected. A Promise, so that a
   * directory shared between servers can answer it too.
   */
  async isConnected(publicKey: string): Promise<boolean> {
    const keyId = this.resolveKeyId(publicKey);
    if (this.holders.has(keyId) || this.cluster === undefined) return this.holders.has(keyId);
    const where = await this.cluster.directory.locate(keyId).catch(() => undefined);
    return where !== undefined;
  }

  /** Holders connected to every instance; those of this one while the cluster is unreachable. */
  async connectionCount(): Promise<number> {
    if (this.cluster === undefined) return this.holders.size;
    return this.cluster.directory.holderCount().catch(() => this.holders.size);
  }

  /** In cluster mode, the live instances and whether the shared store is reachable. */
  async clusterStatus(): Promise<{ instances: number; redis: 'up' | 'down' } | undefined> {
    if (this.cluster === undefined || !this.cluster.health.clustered) return undefined;
    const up = this.cluster.health.available;
    const instances = up ? await this.cluster.directory.instanceCount().catch(() => 1) : 1;
    return { instances, redis: up ? 'up' : 'down' };
  }

  /** Holders connected to this process, by the protocol they speak. */
  countsByProtocol(): Record<ProtocolVersion, number> {
    return { ...this.byProtocol };
  }

  /** Key → protocol of every holder connected to this process. */
  localKeys(): Map<string, ProtocolVersion> {
    return new Map([...this.holders].map(([keyId, link]) => [keyId, link.protocol]));
  }

  /** Holders connected to this process. */
  get localCount(): number {
    return this.holders.size;
  }
}
