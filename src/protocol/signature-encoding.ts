import { hexToBytes } from '@noble/curves/utils.js';

/** The secp256k1 group order n, big-endian. */
export const CURVE_ORDER = hexToBytes('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
/** floor(n / 2): the largest s a low-S signature may carry. */
export const HALF_CURVE_ORDER = hexToBytes(
  '7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0',
);

const COMPACT_LENGTH = 64;
const SCALAR_LENGTH = 32;

/**
 * Turns a wire signature into 64-byte compact r‖s. Exactly 64 bytes are read as compact;
 * anything else must be strict DER. Returns null for any other encoding. Range checks on r and
 * s are separate (see {@link scalarsInRange}).
 */
export function toCompactSignature(signature: Uint8Array): Uint8Array | null {
  if (signature.length === COMPACT_LENGTH) return signature;
  return parseStrictDer(signature);
}

/** Strict DER: SEQUENCE { INTEGER r, INTEGER s } with minimal lengths and no trailing bytes. */
export function parseStrictDer(der: Uint8Array): Uint8Array | null {
  if (der.length < 8 || der[0] !== 0x30) return null;
  const seqLength = der[1];
  // A signature body is at most 70 bytes, so only the short length form is valid DER.
  if (seqLength === undefined || seqLength >= 0x80 || seqLength !== der.length - 2) return null;
  const r = readInteger(der, 2);
  if (r === null) return null;
  const s = readInteger(der, r.end);
  if (s === null || s.end !== der.length) return null;
  const out = new Uint8Array(COMPACT_LENGTH);
  out.set(r.value, SCALAR_LENGTH - r.value.length);
  out.set(s.value, COMPACT_LENGTH - s.value.length);
  return out;
}

function readInteger(der: Uint8Array, at: number): { value: Uint8Array; end: number } | null {
  if (der[at] !== 0x02) return null;
  const length = der[at + 1];
  if (length === undefined || length === 0 || length >= 0x80) return null;
  const start = at + 2;
  const end = start + length;
  if (end > der.length) return null;
  const first = der[start];
  if (first & 0x80) return null; // negative
  let value = der.subarray(start, end);
  if (first === 0x00) {
    if (length === 1) return { value, end }; // zero: rejected by the range check
    if ((der[start + 1] & 0x80) === 0) return null; // non-minimal padding
    value = value.subarray(1);
  }
  if (value.length > SCALAR_LENGTH) return null;
  return { value, end };
}

/** True when 1 ≤ r < n and 1 ≤ s < n. Reads the scalars in place: this runs on every answer. */
export function scalarsInRange(compact: Uint8Array): boolean {
  return inRange(compact, 0) && inRange(compact, SCALAR_LENGTH);
}

/** True when s > n/2, i.e. the signature is not in low-S form. */
export function isHighS(compact: Uint8Array): boolean {
  return compareScalar(compact, SCALAR_LENGTH, HALF_CURVE_ORDER) > 0;
}

function inRange(compact: Uint8Array, offset: number): boolean {
  return !isZeroScalar(compact, offset) && compareScalar(compact, offset, CURVE_ORDER) < 0;
}

/** Compares the 32-byte big-endian number at `offset` in `bytes` with `scalar`. */
function compareScalar(bytes: Uint8Array, offset: number, scalar: Uint8Array): number {
  for (let i = 0; i < SCALAR_LENGTH; i++) {
    if (bytes[offset + i] !== scalar[i]) return bytes[offset + i] - scalar[i];
  }
  return 0;
}

function isZeroScalar(bytes: Uint8Array, offset: number): boolean {
  for (let i = offset; i < offset + SCALAR_LENGTH; i++) if (bytes[i] !== 0) return false;
  return true;
}
