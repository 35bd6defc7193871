import { inMemoryClusterParts } from '../../src/cluster/in-memory-cluster-parts.js';
import { V1HolderLink, V1Session } from '../../src/gateway/v1-holder-link.js';
import { SigSocketMetrics } from '../../src/metrics/sigsocket-metrics.service.js';
import type { RegistryService } from '../../src/registry/registry.service.js';
import { HolderOutbox } from '../../src/signing/holder-outbox.js';
import { HolderRouter } from '../../src/signing/holder-router.service.js';
import { SigningService } from '../../src/signing/signing.service.js';
import { resolveOptions, SigSocketModuleOptions } from '../../src/sigsocket-options.interface.js';
import type { SignatureVerifierService } from '../../src/verification/signature-verifier.service.js';

import { KEY } from './in-process-cluster.js';

export { KEY };

/** A SigningService over one fake v1 holder and a verifier that does what the test says. */
export function setUpSigning(
  holder: Partial<V1Session>,
  verify: () => boolean,
  config: SigSocketModuleOptions = {},
) {
  const base: V1Session = {
    id: 'c1',
    keyId: KEY,
    publicKey: new Uint8Array(33),
    bufferedBytes: 0,
    send: () => undefined,
    close: () => undefined,
  };
  // Copied with their getters, so a test's `bufferedBytes` can change.
  const connection: V1Session = Object.defineProperties(base, Object.getOwnPropertyDescriptors(holder));
  const options = resolveOptions(config);
  const outbox = new HolderOutbox(options.maxHolderBufferBytes, options.maxBufferedBytes);
  let link = new V1HolderLink(connection, outbox);
  const registry = { resolveKeyId: (key: string) => key, get: () => link };
  const verifier = { verifyToCompact: () => (verify() ? new Uint8Array(64) : null) };
  const metrics = new SigSocketMetrics(options);
  const cluster = inMemoryClusterParts();
  const router = new HolderRouter(
    options,
    registry as unknown as RegistryService,
    verifier as unknown as SignatureVerifierService,
    metrics,
    cluster,
  );
  const signing = new SigningService(
    options,
    registry as unknown as RegistryService,
    router,
    outbox,
    metrics,
    cluster,
  );
  /** The holder answers the message it was sent as `messageBase64`, as a v1 holder does. */
  const respond = (messageBase64: string): void => {
    const id = link.take(messageBase64);
    if (id !== undefined)
      router.answer(link, id, { signature: new Uint8Array(64).fill(1), signatureBase64: 'AA==' });
  };
  /** The holder comes back on a new connection. */
  const reconnect = (session: V1Session): void => {
    link = new V1HolderLink(session, outbox);
    void router.attach(link);
  };
  return { signing, connection, metrics, router, respond, reconnect };
}

export async function outcomes(metrics: SigSocketMetrics, outcome: string, caller?: string): Promise<number> {
  const data = await metrics.registry.getSingleMetric('sigsocket_sign_requests_total')!.get();
  return data.values
    .filter((v) => v.labels.outcome === outcome && (caller === undefined || v.labels.caller === caller))
    .reduce((sum, v) => sum + v.value, 0);
}

export async function callerLabels(metrics: SigSocketMetrics): Promise<string[]> {
  const data = await metrics.registry.getSingleMetric('sigsocket_sign_requests_total')!.get();
  return [...new Set(data.values.map((v) => String(v.labels.caller)))].sort();
}
