import { isStandardBase64 } from './base64.js';
import type { FrameError } from './holder-frame.js';
import { parseJsonObject } from './json-object.js';
import type { V2CancelReason, V2ServerFrame } from './v2-frames.js';

const CANCEL_REASONS: ReadonlySet<string> = new Set<V2CancelReason>([
  'timeout',
  'withdrawn',
  'shutting_down',
]);

const fail = (reason: string): FrameError => ({ kind: 'error', reason });
const isText = (value: unknown): value is string => typeof value === 'string';
const isCancelReason = (value: unknown): value is V2CancelReason =>
  isText(value) && CANCEL_REASONS.has(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Parses a text frame the server sent to a v2 holder; the holder's side of the codec. Unknown
 * fields are ignored; a cancel with a reason this version does not know reads as `withdrawn`.
 */
export function parseV2ServerFrame(text: string): V2ServerFrame | FrameError {
  const parsed = parseJsonObject(text);
  if (parsed.kind === 'error') return parsed;
  const f = parsed.fields;
  switch (f.type) {
    case 'challenge':
      return isText(f.nonce)
        ? { type: 'challenge', nonce: f.nonce }
        : fail('challenge.nonce must be a string');
    case 'ready':
      return isText(f.publicKey)
        ? { type: 'ready', publicKey: f.publicKey }
        : fail('ready.publicKey must be a string');
    case 'sign_request':
      if (!isText(f.id) || !isText(f.message) || !isStandardBase64(f.message)) {
        return fail('sign_request needs a string id and a standard base64 message');
      }
      if (!isTime(f.deadline) || !isTime(f.expiresInMs)) return fail('sign_request needs numeric deadlines');
      return {
        type: 'sign_request',
        id: f.id,
        message: f.message,
        deadline: f.deadline,
        expiresInMs: f.expiresInMs,
        ...(isText(f.caller) ? { caller: f.caller } : {}),
      };
    case 'cancel':
      if (!isText(f.id)) return fail('cancel.id must be a string');
      return { type: 'cancel', id: f.id, reason: isCancelReason(f.reason) ? f.reason : 'withdrawn' };
    case 'error':
      return isText(f.id) && isText(f.code) && isText(f.message)
        ? { type: 'error', id: f.id, code: f.code, message: f.message }
        : fail('error needs string id, code and message');
    default:
      return fail('unknown frame type');
  }
}
