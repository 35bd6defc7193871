/** Outcome label of a sign request that got a verified signature. */
export const SIGN_OUTCOME_OK = 'ok';

/** Close codes that get their own label value; any other code is counted as `other`. */
export const LABELLED_CLOSE_CODES: ReadonlySet<number> = new Set([
  1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 4001,
]);

/** Seconds; sign requests wait for a person or a device, so the buckets reach the largest timeout. */
export const SIGN_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Why a `/ws` connection ended before its key was accepted: the `reason` label's values. */
export const HANDSHAKE_FAILURE_REASONS = [
  'capacity',
  'origin',
  'address_limit',
  'shutting_down',
  'timeout',
  'invalid_key',
  'proof_failed',
  'binary_frame',
] as const;
export type HandshakeFailureReason = (typeof HANDSHAKE_FAILURE_REASONS)[number];
