/** Injection token for the resolved {@link SigSocketModuleOptions}. */
export const SIGSOCKET_OPTIONS = 'SIGSOCKET:MODULE_OPTIONS';

/** The path holders connect to. */
export const SIGSOCKET_WS_PATH = '/ws';

export const DEFAULT_SIGN_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_SIGN_TIMEOUT_MS = 120_000;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
