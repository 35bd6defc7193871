import { SigSocketError } from '../common/sigsocket.error.js';
import { isReservedMessage, RESERVED_PREFIX } from '../protocol/challenge.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import type { SignOptions } from './sign-result.interface.js';

type AdmissionLimits = Pick<
  ResolvedSigSocketOptions,
  'maxMessageBytes' | 'signTimeoutMs' | 'maxSignTimeoutMs'
>;

/**
 * Everything about a sign request that can be checked without a holder: the message's type, size
 * and reserved prefix, and the timeout. Returns the timeout to arm; throws a SigSocketError.
 */
export function admitSignRequest(limits: AdmissionLimits, message: Uint8Array, options: SignOptions): number {
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
