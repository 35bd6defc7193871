import { hexToBytes } from '@noble/curves/utils.js';

const COMPRESSED = /^0[23][0-9a-fA-F]{64}$/;
const UNCOMPRESSED = /^04[0-9a-fA-F]{128}$/;

export type PublicKeyParse = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/**
 * Checks the textual form of a secp256k1 public key: 33-byte compressed or 65-byte uncompressed
 * SEC1 hex, any letter case, surrounding whitespace trimmed. Whether the point is on the curve
 * is the verifier's job.
 */
export function parsePublicKeyHex(input: string): PublicKeyParse {
  const hex = input.trim();
  if (!COMPRESSED.test(hex) && !UNCOMPRESSED.test(hex)) {
    return {
      ok: false,
      reason: 'public key must be 33-byte compressed (02/03) or 65-byte uncompressed (04) hex',
    };
  }
  return { ok: true, bytes: hexToBytes(hex) };
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * The canonical identity of a key: compressed SEC1, lower-case hex. Joined in one piece: hex
 * built by `+=` (as `bytesToHex` does without a native `toHex`) stays a chain of 33 pieces, about
 * 1 KiB per connected holder, for as long as the key is held.
 */
export function toKeyId(compressed: Uint8Array): string {
  return Array.from(compressed, (byte) => HEX_BYTES[byte]).join('');
}

/** A cheap test for the canonical form, used to skip curve work on registry hits. */
export function isCanonicalKeyId(input: string): boolean {
  return input.length === 66 && (input[1] === '2' || input[1] === '3') && /^0[23][0-9a-f]{64}$/.test(input);
}
