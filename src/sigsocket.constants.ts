/** Injection token for the resolved {@link SigSocketModuleOptions}. */
export const SIGSOCKET_OPTIONS = 'SIGSOCKET:MODULE_OPTIONS';

/** The path holders connect to. */
export const SIGSOCKET_WS_PATH = '/ws';
