import { VerifierBackendName } from '../sigsocket-options.interface.js';

/**
 * One secp256k1 implementation. Inputs are already canonical: a 32-byte digest, a 64-byte compact
 * r‖s whose scalars are in range and whose s is low, and a 33-byte compressed key.
 */
export interface VerifierBackend {
  readonly name: VerifierBackendName;
  /** Parses SEC1 (33 or 65 bytes) and returns the compressed form, or null off the curve. */
  compressPublicKey(publicKey: Uint8Array): Uint8Array | null;
  verify(digest: Uint8Array, compactLowS: Uint8Array, compressedKey: Uint8Array): boolean;
}
