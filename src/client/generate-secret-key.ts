import { secp256k1 } from '@noble/curves/secp256k1.js';

/** 32 random bytes that are a valid secp256k1 secret key, from the platform's secure random source. */
export function generateSecretKey(): Uint8Array {
  return secp256k1.utils.randomSecretKey();
}
