/** Injection token for the resolved {@link SigSocketOpsModuleOptions}. */
export const SIGSOCKET_OPS_OPTIONS = 'SIGSOCKET:OPS_OPTIONS';
