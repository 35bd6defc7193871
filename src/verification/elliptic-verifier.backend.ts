import elliptic from 'elliptic';
import type { VerifierBackend } from './verifier-backend.interface.js';

const MAX_CACHED_KEYS = 4096;

/** Pure-JS verification with `elliptic`. Verification only: this project never signs with it. */
export class EllipticVerifierBackend implements VerifierBackend {
  readonly name = 'elliptic' as const;
  private readonly curve = new elliptic.ec('secp256k1');
  // Decompressing a key is a large share of a verify, and holders repeat keys.
  private readonly keys = new Map<string, elliptic.ec.KeyPair>();

  compressPublicKey(publicKey: Uint8Array): Uint8Array | null {
    try {
      const point = this.curve.keyFromPublic(Buffer.from(publicKey).toString('hex'), 'hex').getPublic();
      // The cofactor is 1, so a finite point on the curve is in the group: no n·P check needed.
      if (point.isInfinity() || !this.curve.curve.validate(point)) return null;
      return Uint8Array.from(point.encode('array', true));
    } catch {
      return null;
    }
  }

  verify(digest: Uint8Array, compactLowS: Uint8Array, compressedKey: Uint8Array): boolean {
    try {
      const signature = {
        r: Buffer.from(compactLowS.subarray(0, 32)).toString('hex'),
        s: Buffer.from(compactLowS.subarray(32)).toString('hex'),
      };
      return this.keyPair(compressedKey).verify(Buffer.from(digest), signature);
    } catch {
      return false;
    }
  }

  private keyPair(compressedKey: Uint8Array): elliptic.ec.KeyPair {
    const hex = Buffer.from(compressedKey).toString('hex');
    let key = this.keys.get(hex);
    if (key === undefined) {
      key = this.curve.keyFromPublic(hex, 'hex');
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
      this.keys.set(hex, key);
    }
    return key;
  }
}
