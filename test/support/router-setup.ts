import { firstValueFrom, Observable } from 'rxjs';
import { inMemoryClusterParts } from '../../src/cluster/in-memory-cluster-parts.js';
import { SigSocketMetrics } from '../../src/metrics/sigsocket-metrics.service.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import type { CancelReason, HolderLink, LinkRequest } from '../../src/registry/holder-link.interface.js';
import type { RegistryService } from '../../src/registry/registry.service.js';
import { resolveOptions, SigSocketModuleOptions } from '../../src/sigsocket-options.interface.js';
import type { SignatureVerifierService } from '../../src/verification/signature-verifier.service.js';
import { HolderRouter, RouteRequest } from '../../src/signing/holder-router.service.js';
import type { SignResult } from '../../src/signing/sign-result.interface.js';

/** A HolderRouter over fake links, for the router's unit specs. */
export const KEY = `02${'11'.repeat(32)}`;
export const OTHER = `03${'22'.repeat(32)}`;
export const ANSWER = { signature: new Uint8Array(64).fill(1), signatureBase64: 'AA==' };

/** A link that records what it was asked, for a key. */
export class FakeLink implements HolderLink {
  readonly delivered: LinkRequest[] = [];
  readonly cancelled: [string, CancelReason][] = [];
  readonly publicKey = new Uint8Array(33);
  readonly protocol = 'v2';
  busy = false;

  constructor(
    readonly id: string,
    readonly keyId = KEY,
  ) {}

  deliver(request: LinkRequest): void {
    if (this.busy) throw Object.assign(new Error('busy'), { code: ErrorCode.HolderBusy });
    this.delivered.push(request);
  }

  cancel(id: string, reason: CancelReason): void {
    this.cancelled.push([id, reason]);
  }

  close(): void {}

  /** The id of the n-th request it received. */
  idOf(n = 0): string {
    return this.delivered[n].id;
  }
}

export function setUpRouter(config: SigSocketModuleOptions = {}, verify = () => true) {
  const links = new Map<string, HolderLink>();
  const registry = { get: (keyId: string) => links.get(keyId) };
  const options = resolveOptions(config);
  const router = new HolderRouter(
    options,
    registry as unknown as RegistryService,
    { verifyToCompact: () => (verify() ? new Uint8Array(64) : null) } as unknown as SignatureVerifierService,
    new SigSocketMetrics(options),
    inMemoryClusterParts(),
  );
  const connect = (link: FakeLink): FakeLink => (links.set(link.keyId, link), link);
  const route = (text: string, timeoutMs = 1000, keyId = KEY): RouteRequest => ({
    keyId,
    caller: 'alice',
    message: Buffer.from(text),
    timeoutMs,
  });
  const outcome = (result: Observable<SignResult>): Promise<string> =>
    firstValueFrom(result).then(
      () => 'ok',
      (error: { code: string }) => error.code,
    );
  return { router, links, connect, route, outcome };
}
