const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Browsers have no Buffer; the client SDK uses these helpers there too.
const HAS_BUFFER = typeof Buffer === 'function';
const CHUNK = 0x8000;

/** True for standard (RFC 4648 §4) base64 with padding; the empty string is valid. */
export function isStandardBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64.test(text);
}

/** Decodes standard base64, or returns null when the text is not standard base64. */
export function decodeBase64(text: string): Uint8Array | null {
  if (!isStandardBase64(text)) return null;
  if (HAS_BUFFER) return Buffer.from(text, 'base64');
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

export function encodeBase64(bytes: Uint8Array): string {
  if (HAS_BUFFER) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}
