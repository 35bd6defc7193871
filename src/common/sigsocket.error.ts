import { ErrorCode } from '../protocol/error-codes.js';

/** The one domain error: every failure of a sign request carries a stable {@link ErrorCode}. */
export class SigSocketError extends Error {
  override readonly name = 'SigSocketError';

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
