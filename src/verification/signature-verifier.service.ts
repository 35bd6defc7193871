import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { parsePublicKeyHex, toKeyId } from '../protocol/public-key.js';
import { CURVE_ORDER, isHighS, scalarsInRange, toCompactSignature } from '../protocol/signature-encoding.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions, VerifierBackendName } from '../sigsocket-options.interface.js';
import { EllipticVerifierBackend } from './elliptic-verifier.backend.js';
import { NativeVerifierBackend } from './native-verifier.backend.js';
import type { VerifierBackend } from './verifier-backend.interface.js';

/** A public key that is on the curve, in both canonical forms. */
export interface NormalizedKey {
  /** Compressed, lower-case hex: the identity used everywhere. */
  readonly id: string;
  readonly compressed: Uint8Array;
}

export type KeyParse = { ok: true; key: NormalizedKey } | { ok: false; reason: string };

export function createVerifierBackend(name: VerifierBackendName): VerifierBackend {
  switch (name) {
    case 'native':
      return new NativeVerifierBackend();
    case 'elliptic':
      return new EllipticVerifierBackend();
    default: {
      const unreachable: never = name;
      throw new Error(`unknown verifier ${String(unreachable)}`);
    }
  }
}

/** SHA-256, then ECDSA over secp256k1, with one set of encoding and S rules for every backend. */
@Injectable()
export class SignatureVerifierService {
  private readonly logger = new Logger(SignatureVerifierService.name);
  private readonly backend: VerifierBackend;
  private readonly lowS: boolean;

  constructor(@Inject(SIGSOCKET_OPTIONS) options: ResolvedSigSocketOptions) {
    this.backend = createVerifierBackend(options.verifier);
    this.lowS = options.lowS;
    this.logger.log(`signature verifier: ${this.backend.name}${this.lowS ? ' (low-S only)' : ''}`);
  }

  get backendName(): VerifierBackendName {
    return this.backend.name;
  }

  get lowSOnly(): boolean {
    return this.lowS;
  }

  /** Parses and validates a public key in any accepted hex form, saying why when it fails. */
  parseKey(input: string): KeyParse {
    const parsed = parsePublicKeyHex(input);
    if (!parsed.ok) return parsed;
    const compressed = this.backend.compressPublicKey(parsed.bytes);
    if (compressed === null) return { ok: false, reason: 'not a point on secp256k1' };
    return { ok: true, key: { id: toKeyId(compressed), compressed } };
  }

  /** {@link parseKey} without the reason. */
  normalizeKey(input: string): NormalizedKey | null {
    const parsed = this.parseKey(input);
    return parsed.ok ? parsed.key : null;
  }

  /** Verifies a wire signature (64-byte compact or strict DER) over SHA-256(message). */
  verify(message: Uint8Array, signature: Uint8Array, compressedKey: Uint8Array): boolean {
    return this.verifyToCompact(message, signature, compressedKey) !== null;
  }

  /**
   * {@link verify}, returning the signature it verified as a new 64-byte compact r‖s in low-S
   * form (its one canonical form: (r, s) and (r, n − s) both verify), or null when it does not.
   */
  verifyToCompact(message: Uint8Array, signature: Uint8Array, compressedKey: Uint8Array): Uint8Array | null {
    const compact = toCompactSignature(signature);
    if (compact === null || !scalarsInRange(compact)) return null;
    let lowS = compact;
    if (isHighS(compact)) {
      if (this.lowS) return null;
      lowS = negateS(compact);
    }
    const digest = createHash('sha256').update(message).digest();
    if (!this.backend.verify(digest, lowS, compressedKey)) return null;
    return lowS === signature ? new Uint8Array(signature) : lowS;
  }
}

const ORDER = BigInt(`0x${Buffer.from(CURVE_ORDER).toString('hex')}`);

/** (r, s) → (r, n − s): the same signature in low-S form. */
function negateS(compact: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(compact.subarray(32)).toString('hex')}`);
  const out = new Uint8Array(64);
  out.set(compact.subarray(0, 32));
  out.set(Buffer.from((ORDER - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return out;
}
