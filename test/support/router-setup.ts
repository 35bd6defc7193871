import { firstValueFrom, Observable } from 'rxjs';
import { inMemoryClusterParts } from '../../src/cluster/in-memory-cluster-parts.js';
import { SigSocketMetrics } from '../../src/metrics/sigsocket-metrics.service.js';
import type { HolderLink } from '../../src/registry/holder-link.interface.js';
import type { RegistryService } from '../../src/registry/registry.service.js';
import { resolveOptions, SigSocketModuleOptions } from '../../src/sigsocket-options.interface.js';
import type { SignatureVerifierService } from '../../src/verification/signature-verifier.service.js';
import { HolderRouter, RouteRequest } from '../../src/signing/holder-router.service.js';
import type { SignResult } from '../../src/signing/sign-result.interface.js';
import { FakeLink, KEY } from './in-process-cluster.js';

export { ANSWER, FakeLink, KEY } from './in-process-cluster.js';
export const OTHER = `03${'22'.repeat(32)}`;

/** A HolderRouter over fake links, for the router's unit specs. */
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
