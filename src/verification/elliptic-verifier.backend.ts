import elliptic from 'elliptic';
import type { VerifierBackend } from './verifier-backend.interface.js';

/** `ec.curve` is untyped in the published typings; this is the one method used. */
interface OnCurveCheck {
  validate(point: elliptic.curve.base.BasePoint): boolean;
}

const MAX_CACHED_KEYS = 4096;
const COMPRESSED_LENGTH = 33;

/** Pure-JS verification with `elliptic`. Verification only: this project never signs with it. */
export class EllipticVerifierBackend implements VerifierBackend {
  readonly name = 'elliptic' as const;
  private readonly curve = new elliptic.ec('secp256k1');
  // Decompressing a key is a large share of a verify, and holders repeat keys.
  private readonly keys = new Map<string, elliptic.ec.KeyPair>();

  compressPublicKey(publicKey: Uint8Array): Uint8Array | null {
    try {
      const hex = Buffer.from(publicKey).toString('hex');
      const point = this.curve.keyFromPublic(hex, 'hex').getPublic();
      // The cofactor is 1, so a finite point on the curve is in the group: no n·P check needed.
      if (point.isInfinity() || !(this.curve.curve as OnCurveCheck).validate(point)) return null;
      // elliptic reduces coordinates mod p, so x + p would alias x; libsecp256k1 rejects any
      // coordinate >= p. Only a key that re-encodes to its own bytes is canonical.
      if (point.encode('hex', publicKey.length === COMPRESSED_LENGTH) !== hex) return null;
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
