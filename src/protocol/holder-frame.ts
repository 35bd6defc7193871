import { decodeBase64, isStandardBase64 } from './base64.js';
import { parseJsonObject } from './json-object.js';

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
  /** At most {@link MAX_REJECT_REASON} characters, none of them control or line-separator ones. */
  readonly reason: string;
}

/** Longest reason passed on from a reject frame; longer ones are cut. */
export const MAX_REJECT_REASON = 200;

/** Longest reason a decline of any valid message may carry and still fit in one frame. */
export const MAX_DECLINE_REASON_CHARS = 1000;

/**
 * Room in a frame beyond the base64 message: a reject frame's JSON around it, with a reason of
 * {@link MAX_DECLINE_REASON_CHARS} characters even if each one is written as a JSON-escaped
 * surrogate pair (`\uXXXX\uXXXX`, 12 bytes), and a line ending. A response frame's signature
 * (at most 96 base64 characters) takes far less.
 */
export const HOLDER_FRAME_OVERHEAD_BYTES = MAX_DECLINE_REASON_CHARS * 12 + 256;

export type HolderFrame = SignResponseFrame | RejectFrame;
export type HolderFrameParse = HolderFrame | FrameError;

/**
 * Parses a text frame a registered holder sent. Pure: no I/O, no Nest, no throwing.
 * A trailing CR/LF is not part of the frame. The message part is only checked for base64 form
 * here; it is decoded only when it matches a pending request, so hostile frames cost little.
 */
export function parseHolderFrame(frame: string): HolderFrameParse {
  const text = withoutLineEnding(frame);
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
  const parsed = parseJsonObject(text);
  if (parsed.kind === 'error') return parsed;
  const { type, message, reason } = parsed.fields;
  if (type !== 'reject') return { kind: 'error', reason: 'unknown JSON frame type' };
  if (typeof message !== 'string' || !isStandardBase64(message)) {
    return { kind: 'error', reason: 'reject.message must be standard base64' };
  }
  if (reason !== undefined && typeof reason !== 'string') {
    return { kind: 'error', reason: 'reject.reason must be a string' };
  }
  return { kind: 'reject', messageBase64: message, reason: cleanReason(reason ?? '') };
}

/** Frames may end in CR/LF, as lines do; a loop from the end, as a regex could backtrack. */
export function withoutLineEnding(text: string): string {
  let end = text.length;
  for (let code = text.charCodeAt(end - 1); code === 10 || code === 13; code = text.charCodeAt(end - 1)) {
    end--;
  }
  return end === text.length ? text : text.slice(0, end);
}

/**
 * A reason safe to pass on: the first {@link MAX_REJECT_REASON} characters that are not C0 or C1
 * controls (CR, LF, ESC, NEL...), U+2028 or U+2029. One pass that stops once it has enough.
 */
export function cleanReason(reason: string): string {
  let kept = '';
  let count = 0;
  for (const char of reason) {
    if (count === MAX_REJECT_REASON) break;
    if (isControlOrLineSeparator(char.codePointAt(0) ?? 0)) continue;
    kept += char;
    count++;
  }
  return kept;
}

function isControlOrLineSeparator(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}
