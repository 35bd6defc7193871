import { CALLER_NAME } from '../common/api-keys.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { isReservedMessage, RESERVED_PREFIX } from '../protocol/challenge.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import type { PendingRequests } from './pending-requests.js';
import type { SignOptions } from './sign-result.interface.js';

type AdmissionLimits = Pick<
  ResolvedSigSocketOptions,
  'maxMessageBytes' | 'signTimeoutMs' | 'maxSignTimeoutMs'
>;

type PendingLimits = Pick<ResolvedSigSocketOptions, 'maxPendingPerKey' | 'maxPendingPerCaller'>;

/**
 * Everything about a sign request that can be checked without a holder: the caller's name, the
 * message's type, size and reserved prefix, and the timeout. Returns the timeout to arm; throws a
 * SigSocketError.
 */
export function admitSignRequest(limits: AdmissionLimits, message: Uint8Array, options: SignOptions): number {
  const { caller } = options;
  if (caller !== undefined && (typeof caller !== 'string' || !CALLER_NAME.test(caller))) {
    throw new SigSocketError(
      ErrorCode.InvalidRequest,
      'caller must be 1-32 letters, digits, _ or -, starting with a letter',
    );
  }
  if (!(message instanceof Uint8Array)) {
    throw new SigSocketError(ErrorCode.InvalidRequest, 'message must be a Uint8Array');
  }
  if (message.length > limits.maxMessageBytes) {
    throw new SigSocketError(
      ErrorCode.MessageTooLarge,
      `message is larger than ${limits.maxMessageBytes} bytes`,
    );
  }
  if (isReservedMessage(message)) {
    throw new SigSocketError(ErrorCode.InvalidRequest, `messages may not start with "${RESERVED_PREFIX}"`);
  }
  const requested = options.timeoutMs;
  if (requested === undefined) return limits.signTimeoutMs;
  if (!Number.isInteger(requested) || requested < 1 || requested > limits.maxSignTimeoutMs) {
    throw new SigSocketError(
      ErrorCode.InvalidRequest,
      `timeoutMs must be an integer from 1 to ${limits.maxSignTimeoutMs}`,
    );
  }
  return requested;
}

/**
 * One more request from `caller` to `keyId` must stay within both pending limits, so that no
 * caller can fill a holder's queue or the relay for the others. Throws `too_many_pending`.
 */
export function admitPending(
  limits: PendingLimits,
  pending: PendingRequests,
  caller: string,
  keyId: string,
): void {
  if (pending.countFromCaller(caller, keyId) >= limits.maxPendingPerKey) {
    throw new SigSocketError(ErrorCode.TooManyPending, 'too many of your requests are pending for that key');
  }
  if (pending.countFromCaller(caller) >= limits.maxPendingPerCaller) {
    throw new SigSocketError(ErrorCode.TooManyPending, 'too many of your requests are pending');
  }
}
