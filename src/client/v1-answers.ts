import { encodeBase64 } from '../protocol/base64.js';
import { MAX_DECLINE_REASON_CHARS } from '../protocol/holder-frame.js';

/** Reason sent when `approve` answers `false`. */
export const DEFAULT_DECLINE_REASON = 'declined by the key holder';
/** Reason sent when `approve` or the signer throws. */
export const FAILED_DECLINE_REASON = 'the key holder could not sign';

/** The v1 answer that signs a request or challenge frame: `<message>.<signature>`. */
export function signedFrame(frame: string, signature: Uint8Array): string {
  return `${frame}.${encodeBase64(signature)}`;
}

/** Reasons are cut to the length the relay's frame cap always has room for. */
export function fittingReason(reason: string): string {
  return [...reason].slice(0, MAX_DECLINE_REASON_CHARS).join('');
}

/** The v1 decline of a request frame. */
export function declineFrame(frame: string, reason: string): string {
  return JSON.stringify({ type: 'reject', message: frame, reason: fittingReason(reason) });
}
