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

/** A holder declining a request: `{"type":"reject","message":"<base64>","reason":"<text>"}`. */
export interface RejectFrame {
  readonly kind: 'reject';
  readonly messageBase64: string;
  /** At most {@link MAX_REJECT_REASON} characters. */
  readonly reason: string;
}

/** Longest reason passed on from a reject frame; longer ones are cut. */
export const MAX_REJECT_REASON = 200;

export type HolderFrame = SignResponseFrame | RejectFrame;
export type HolderFrameParse = HolderFrame | FrameError;

/**
 * Parses a text frame a registered holder sent. Pure: no I/O, no Nest, no throwing.
 * The message part is only checked for base64 form here; it is decoded only when it matches a
 * pending request, so hostile frames cost little.
 */
export function parseHolderFrame(text: string): HolderFrameParse {
  if (text.startsWith('{')) return parseRejectFrame(text);
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

/** The only JSON frame a v1 holder may send. */
function parseRejectFrame(text: string): HolderFrameParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'error', reason: 'malformed JSON frame' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'error', reason: 'a JSON frame must be an object' };
  }
  const { type, message, reason } = value as Record<string, unknown>;
  if (type !== 'reject') return { kind: 'error', reason: 'unknown JSON frame type' };
  if (typeof message !== 'string' || !isStandardBase64(message)) {
    return { kind: 'error', reason: 'reject.message must be standard base64' };
  }
  if (reason !== undefined && typeof reason !== 'string') {
    return { kind: 'error', reason: 'reject.reason must be a string' };
  }
  return {
    kind: 'reject',
    messageBase64: message,
    reason: [...(reason ?? '')].slice(0, MAX_REJECT_REASON).join(''),
  };
}
