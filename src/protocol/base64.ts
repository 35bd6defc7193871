const PAD = 0x3d;
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** 1 for each character code of the standard alphabet (padding excluded). */
const ALPHABET = new Uint8Array(128);
for (const char of DIGITS) ALPHABET[char.charCodeAt(0)] = 1;
// Browsers have no Buffer; the client SDK uses these helpers there too.
const HAS_BUFFER = typeof Buffer === 'function';
const CHUNK = 0x8000;

/**
 * True for standard (RFC 4648 §4) base64 with padding; the empty string is valid. One pass over
 * the characters: messages reach 64 KiB, and a regular expression took many times longer.
 */
export function isStandardBase64(text: string): boolean {
  const length = text.length;
  if (length % 4 !== 0) return false;
  let end = length;
  if (length > 0 && text.charCodeAt(length - 1) === PAD) end -= text.charCodeAt(length - 2) === PAD ? 2 : 1;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code > 127 || ALPHABET[code] === 0) return false;
  }
  return true;
}

/**
 * Whether standard base64 `text` is the one encoding of the bytes it decodes to: the bits that
 * padding leaves over are zero. Decoders ignore them, so `aGk=` and `aGl=` are the same bytes, and
 * only `aGk=` is what an encoder writes. Checks the last character only; `text` must already be
 * standard base64 ({@link isStandardBase64}).
 */
export function hasCanonicalPadding(text: string): boolean {
  const length = text.length;
  if (length === 0 || text.charCodeAt(length - 1) !== PAD) return true;
  const twoPads = text.charCodeAt(length - 2) === PAD;
  const last = DIGITS.indexOf(text.charAt(length - (twoPads ? 3 : 2)));
  return (last & (twoPads ? 0x0f : 0x03)) === 0;
}

/** Decodes standard base64, or returns null when the text is not standard base64. */
export function decodeBase64(text: string): Uint8Array | null {
  if (!isStandardBase64(text)) return null;
  if (HAS_BUFFER) return Buffer.from(text, 'base64');
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

/** Length of the padded base64 text for `byteLength` bytes. */
export function base64Length(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}

export function encodeBase64(bytes: Uint8Array): string {
  if (HAS_BUFFER) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}
