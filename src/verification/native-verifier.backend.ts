import { createRequire } from 'node:module';
import type { VerifierBackend } from './verifier-backend.interface.js';

interface Secp256k1Binding {
  publicKeyConvert(publicKey: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaVerify(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean;
}

const require = createRequire(import.meta.url);

/**
 * libsecp256k1 through the `secp256k1` package. It loads `secp256k1/bindings` directly, never the
 * package root, because the root silently falls back to a JS implementation when the addon fails.
 */
export class NativeVerifierBackend implements VerifierBackend {
  readonly name = 'native' as const;
  private readonly lib = require('secp256k1/bindings') as Secp256k1Binding;

  compressPublicKey(publicKey: Uint8Array): Uint8Array | null {
    try {
      return this.lib.publicKeyConvert(publicKey, true);
    } catch {
      return null;
    }
  }

  verify(digest: Uint8Array, compactLowS: Uint8Array, compressedKey: Uint8Array): boolean {
    try {
      return this.lib.ecdsaVerify(compactLowS, digest, compressedKey);
    } catch {
      return false;
    }
  }
}
