import { secp256k1 } from '@noble/curves/secp256k1.js';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { EllipticVerifierBackend } from './elliptic-verifier.backend.js';
import { NativeVerifierBackend } from './native-verifier.backend.js';
import type { VerifierBackend } from './verifier-backend.interface.js';

// The real Node loader, not Jest's registry: the backend loads its addon through it as well.
const nodeRequire = createRequire(import.meta.url);

const SIGNATURES = 16;
const NATIVE_LOOPS = 40;
const ELLIPTIC_LOOPS = 2;
const ROUNDS = 3;
const MIN_RATIO = 5;

interface Sample {
  readonly digest: Uint8Array;
  readonly signature: Uint8Array;
  readonly key: Uint8Array;
}

function makeSamples(): Sample[] {
  return Array.from({ length: SIGNATURES }, (_, i) => {
    const sk = secp256k1.utils.randomSecretKey();
    const message = Buffer.from(`sample ${i}`);
    return {
      digest: createHash('sha256').update(message).digest(),
      signature: secp256k1.sign(message, sk),
      key: secp256k1.getPublicKey(sk, true),
    };
  });
}

/** Verifications per millisecond over `loops` passes; throws if any signature fails. */
function throughput(backend: VerifierBackend, samples: Sample[], loops: number): number {
  const start = performance.now();
  for (let loop = 0; loop < loops; loop += 1) {
    for (const { digest, signature, key } of samples) {
      if (!backend.verify(digest, signature, key)) throw new Error(`${backend.name} rejected a sample`);
    }
  }
  return (loops * samples.length) / Math.max(performance.now() - start, 1e-3);
}

describe('NativeVerifierBackend', () => {
  const backend = new NativeVerifierBackend();

  test('has the libsecp256k1 addon of the secp256k1 package loaded', () => {
    const addonDir = `${sep}node_modules${sep}secp256k1${sep}`;
    const addons = Object.keys(nodeRequire.cache).filter((p) => p.includes(addonDir) && p.endsWith('.node'));
    expect(addons).not.toHaveLength(0);
  });

  test('holds the native bindings module, not the JS fallback the package root may pick', () => {
    const lib: unknown = Reflect.get(backend, 'lib');
    expect(lib).toBe(nodeRequire('secp256k1/bindings'));
    expect(lib).not.toBe(nodeRequire('secp256k1/elliptic'));
  });

  test('verifies at least 5x faster than elliptic on the same signatures', () => {
    const elliptic = new EllipticVerifierBackend();
    const samples = makeSamples();
    throughput(backend, samples, 1);
    throughput(elliptic, samples, 1);
    // Interleaved rounds and the best of each, so a noisy neighbour hurts both sides alike.
    let native = 0;
    let pureJs = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      native = Math.max(native, throughput(backend, samples, NATIVE_LOOPS));
      pureJs = Math.max(pureJs, throughput(elliptic, samples, ELLIPTIC_LOOPS));
    }
    expect(native / pureJs).toBeGreaterThanOrEqual(MIN_RATIO);
  });
});
