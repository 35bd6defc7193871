const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True for standard (RFC 4648 §4) base64 with padding; the empty string is valid. */
export function isStandardBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64.test(text);
}

/** Decodes standard base64, or returns null when the text is not standard base64. */
export function decodeBase64(text: string): Uint8Array | null {
  if (!isStandardBase64(text)) return null;
  return Buffer.from(text, 'base64');
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
