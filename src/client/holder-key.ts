import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/curves/utils.js';
import type { HolderSigner, SigSocketHolderOptions } from './holder-options.interface.js';

/** What the holder needs of a key: its introduction and a way to sign. */
export interface HolderKey {
  /** Compressed SEC1, lower-case hex. */
  readonly publicKeyHex: string;
  readonly sign: HolderSigner;
}

/** Resolves the key options, throwing a TypeError that says what is wrong. */
export function resolveHolderKey(options: SigSocketHolderOptions): HolderKey {
  const { secretKey, signer, publicKey } = options;
  if (secretKey !== undefined) {
    if (signer !== undefined) throw new TypeError('give exactly one of secretKey and signer');
    if (publicKey !== undefined) throw new TypeError('publicKey goes only with signer');
    if (!secp256k1.utils.isValidSecretKey(secretKey)) {
      throw new TypeError('secretKey must be a valid 32-byte secp256k1 secret key');
    }
    // The key is captured here and nowhere else, so nothing on the holder object exposes it.
    return {
      publicKeyHex: bytesToHex(secp256k1.getPublicKey(secretKey, true)),
      sign: (message) => secp256k1.sign(message, secretKey),
    };
  }
  if (signer === undefined) throw new TypeError('give exactly one of secretKey and signer');
  if (publicKey === undefined) throw new TypeError('a signer needs its publicKey');
  return { publicKeyHex: compressPublicKey(publicKey), sign: signer };
}

function compressPublicKey(publicKey: Uint8Array | string): string {
  try {
    const bytes = typeof publicKey === 'string' ? hexToBytes(publicKey.trim()) : publicKey;
    return bytesToHex(secp256k1.Point.fromBytes(bytes).toBytes(true));
  } catch {
    throw new TypeError('publicKey must be a secp256k1 point, compressed or uncompressed');
  }
}
