import { ErrorCode } from '../protocol/error-codes.js';

/** HTTP status for each domain error code. The switch is exhaustive at compile time. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.InvalidRequest:
      return 400;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.NotConnected:
      return 404;
    case ErrorCode.InvalidSignature:
      return 502;
    case ErrorCode.ClientDisconnected:
      return 502;
    case ErrorCode.Timeout:
      return 504;
    case ErrorCode.Unauthorized:
      return 401;
    case ErrorCode.ForbiddenOrigin:
      return 403;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.Rejected:
      return 409;
    case ErrorCode.MessageTooLarge:
      return 413;
    case ErrorCode.IdempotencyConflict:
      return 422;
    case ErrorCode.TooManyPending:
      return 429;
    case ErrorCode.ShuttingDown:
      return 503;
    case ErrorCode.ClusterUnavailable:
      return 503;
    case ErrorCode.HolderBusy:
      return 503;
    case ErrorCode.TooManyConnections:
      return 503;
    case ErrorCode.Internal:
      return 500;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}
