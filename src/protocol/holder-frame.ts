import { decodeBase64, isStandardBase64 } from './base64.js';

/** A holder's answer to a sign request: `<base64 message>.<base64 signature>`. */
export interface SignResponseFrame {
  readonly kind: 'response';
  /** The message part exactly as sent, for matching against pending requests. */
  readonly messageBase64: string;
  readonly signatureBase64: string;
  readonly signature: Uint8Array;
}

export interface FrameError {
  readonly kind: 'error';
  readonly reason: string;
}

export type HolderFrame = SignResponseFrame;
export type HolderFrameParse = HolderFrame | FrameError;

/**
 * Parses a text frame a registered holder sent. Pure: no I/O, no Nest, no throwing.
 * The message part is only checked for base64 form here; it is decoded only when it matches a
 * pending request, so hostile frames cost little.
 */
export function parseHolderFrame(text: string): HolderFrameParse {
  const dot = text.indexOf('.');
  if (dot < 0 || text.indexOf('.', dot + 1) >= 0) {
    return { kind: 'error', reason: 'expected <base64 message>.<base64 signature>' };
  }
  const messageBase64 = text.slice(0, dot);
  const signatureBase64 = text.slice(dot + 1);
  if (!isStandardBase64(messageBase64)) {
    return { kind: 'error', reason: 'message part is not standard base64' };
  }
  const signature = decodeBase64(signatureBase64);
  if (signature === null) {
    return { kind: 'error', reason: 'signature part is not standard base64' };
  }
  return { kind: 'response', messageBase64, signatureBase64, signature };
}
