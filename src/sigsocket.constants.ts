/** Injection token for the resolved {@link SigSocketModuleOptions}. */
export const SIGSOCKET_OPTIONS = 'SIGSOCKET:MODULE_OPTIONS';

/** The path holders connect to. */
export const SIGSOCKET_WS_PATH = '/ws';

export const DEFAULT_SIGN_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_SIGN_TIMEOUT_MS = 120_000;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_MESSAGE_BYTES = 65_536;
export const DEFAULT_MAX_PENDING_PER_KEY = 256;
export const DEFAULT_RECONNECT_GRACE_MS = 5_000;
export const DEFAULT_IDEMPOTENCY_TTL_MS = 60_000;
export const DEFAULT_IDEMPOTENCY_MAX_KEYS = 10_000;
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
