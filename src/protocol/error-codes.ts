/** Stable error codes, shared by the HTTP API, the library and the client SDK. */
export const ErrorCode = {
  InvalidRequest: 'invalid_request',
  NotConnected: 'not_connected',
  InvalidSignature: 'invalid_signature',
  Timeout: 'timeout',
  ClientDisconnected: 'client_disconnected',
  Unauthorized: 'unauthorized',
  ForbiddenOrigin: 'forbidden_origin',
  UnsupportedMediaType: 'unsupported_media_type',
  MessageTooLarge: 'message_too_large',
  TooManyPending: 'too_many_pending',
  HolderBusy: 'holder_busy',
  Rejected: 'rejected',
  IdempotencyConflict: 'idempotency_conflict',
  ShuttingDown: 'shutting_down',
  ClusterUnavailable: 'cluster_unavailable',
  TooManyConnections: 'too_many_connections',
  NotFound: 'not_found',
  Internal: 'internal_error',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes of the `error` notices a v2 holder gets about its answers; the connection stays open. */
export const HolderNoticeCode = {
  InvalidSignature: ErrorCode.InvalidSignature,
  UnknownRequest: 'unknown_request',
} as const;

export type HolderNoticeCode = (typeof HolderNoticeCode)[keyof typeof HolderNoticeCode];
