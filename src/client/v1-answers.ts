import { encodeBase64 } from '../protocol/base64.js';
import { MAX_DECLINE_REASON_CHARS } from '../protocol/holder-frame.js';
import type { HolderKey } from './holder-key.js';
import type { ApproveCallback } from './holder-options.interface.js';

/** Reason sent when `approve` answers `false`. */
export const DEFAULT_DECLINE_REASON = 'declined by the key holder';
/** Reason sent when `approve` or the signer throws. */
export const FAILED_DECLINE_REASON = 'the key holder could not sign';

/** The v1 answer that signs a request or challenge frame: `<message>.<signature>`. */
export async function signedFrame(key: HolderKey, frame: string, message: Uint8Array): Promise<string> {
  const signature = await key.sign(message);
  return `${frame}.${encodeBase64(signature)}`;
}

/**
 * The v1 answer to a sign request: signed when `approve` (if any) says yes, otherwise a decline
 * with its reason. Never rejects: a failure is reported through `onError` and declined.
 */
export async function answerFrame(
  key: HolderKey,
  approve: ApproveCallback | undefined,
  frame: string,
  message: Uint8Array,
  onError: (error: unknown) => void,
): Promise<string> {
  try {
    const verdict = approve === undefined ? true : await approve(message);
    if (verdict === true) return await signedFrame(key, frame, message);
    return declineFrame(frame, typeof verdict === 'string' ? verdict : DEFAULT_DECLINE_REASON);
  } catch (error) {
    onError(error);
    return declineFrame(frame, FAILED_DECLINE_REASON);
  }
}

/** Reasons are cut to the length the relay's frame cap always has room for. */
function declineFrame(frame: string, reason: string): string {
  const fitting = [...reason].slice(0, MAX_DECLINE_REASON_CHARS).join('');
  return JSON.stringify({ type: 'reject', message: frame, reason: fitting });
}
