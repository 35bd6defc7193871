import { jest } from '@jest/globals';
import { firstValueFrom, Observable } from 'rxjs';
import type { ClusterParts } from '../../src/cluster/cluster-parts.interface.js';
import type { InMemoryCluster } from '../../src/cluster/in-memory-cluster.js';
import { inMemoryClusterParts } from '../../src/cluster/in-memory-cluster-parts.js';
import { SigSocketMetrics } from '../../src/metrics/sigsocket-metrics.service.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import type { CancelReason, HolderLink, LinkRequest } from '../../src/registry/holder-link.interface.js';
import type { RegistryService } from '../../src/registry/registry.service.js';
import { resolveOptions } from '../../src/sigsocket-options.interface.js';
import { ClusterRelay } from '../../src/signing/cluster-relay.js';
import { HolderRouter, RouteRequest } from '../../src/signing/holder-router.service.js';
import type { SignResult } from '../../src/signing/sign-result.interface.js';
import type { SignatureVerifierService } from '../../src/verification/signature-verifier.service.js';

/** Instances of one process sharing an in-memory cluster, with fake holder links. */

export const KEY = `02${'11'.repeat(32)}`;
export const ANSWER = {
  signature: new Uint8Array(64).fill(1),
  signatureBase64: Buffer.alloc(64, 1).toString('base64'),
};

export class FakeLink implements HolderLink {
  readonly delivered: LinkRequest[] = [];
  readonly cancelled: [string, CancelReason][] = [];
  readonly closed: number[] = [];
  readonly publicKey: Uint8Array;
  /** While true, deliveries are refused with `holder_busy`. */
  busy = false;

  constructor(
    readonly id: string,
    readonly protocol: 'v1' | 'v2' = 'v2',
    readonly keyId = KEY,
  ) {
    this.publicKey = Buffer.from(keyId, 'hex');
  }

  deliver(request: LinkRequest): void {
    if (this.busy) throw Object.assign(new Error('busy'), { code: ErrorCode.HolderBusy });
    this.delivered.push(request);
  }

  cancel(id: string, reason: CancelReason): void {
    this.cancelled.push([id, reason]);
  }

  close(code: number): void {
    this.closed.push(code);
  }

  /** The id of the n-th request it received. */
  idOf(n = 0): string {
    return this.delivered[n].id;
  }
}

/** One in-process instance: its router, relay and registry of local links. */
export function instance(shared: InMemoryCluster, reconnectGraceMs = 1_000) {
  const parts: ClusterParts = inMemoryClusterParts(shared);
  const options = resolveOptions({ reconnectGraceMs });
  const links = new Map<string, HolderLink>();
  const registry = {
    get: (keyId: string) => links.get(keyId),
    localKeys: () => new Map([...links].map(([keyId, link]) => [keyId, link.protocol])),
  } as unknown as RegistryService;
  const metrics = new SigSocketMetrics(options);
  const verifier = {
    verify: jest.fn(() => true),
    verifyToCompact: jest.fn(() => new Uint8Array(64)),
  };
  const router = new HolderRouter(
    options,
    registry,
    verifier as unknown as SignatureVerifierService,
    metrics,
    parts,
  );
  const relay = new ClusterRelay(parts, router, registry, metrics);
  relay.onModuleInit();
  const connect = async (link: FakeLink, announce?: () => void): Promise<FakeLink> => {
    links.set(link.keyId, link);
    await router.attach(link, announce);
    return link;
  };
  const leave = (link: FakeLink): void => {
    links.delete(link.keyId);
    router.detach(link.keyId, link);
  };
  return { router, relay, parts, connect, leave, verifier };
}

export const route = (text: string): RouteRequest => ({
  keyId: KEY,
  caller: 'alice',
  message: Buffer.from(text),
  timeoutMs: 2_000,
});

export const settle = (result: Observable<SignResult>): Promise<string> =>
  firstValueFrom(result).then(
    () => 'ok',
    (error: { code: string }) => error.code,
  );

/** Lets the bus's queued messages arrive. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
