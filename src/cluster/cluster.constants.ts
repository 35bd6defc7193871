/** Injection token for the {@link ClusterParts} the module chose. */
export const CLUSTER_PARTS = 'SIGSOCKET:CLUSTER_PARTS';
