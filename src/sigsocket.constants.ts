/** Injection token for the resolved {@link SigSocketModuleOptions}. */
export const SIGSOCKET_OPTIONS = 'SIGSOCKET:MODULE_OPTIONS';

/** The path holders connect to. */
export const SIGSOCKET_WS_PATH = '/ws';

/** Sockets accepted above MAX_CONNECTIONS for health probes and metric scrapes only. */
export const PROBE_RESERVE_SOCKETS = 64;
/** The largest default for MAX_CONNECTIONS, however high the open-file limit. */
export const MAX_CONNECTIONS_CEILING = 65_536;
