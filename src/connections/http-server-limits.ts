/** The Node `http.Server` options that bound how long a client may take to send a request. */
export interface HttpServerLimits {
  /** Time to receive the request headers. */
  headersTimeout: number;
  /** Time to receive the whole request, body included. */
  requestTimeout: number;
  /** How often Node checks both; it defaults to 30 s, which would stretch either by as much. */
  connectionsCheckingInterval: number;
}

/** Node checks the timeouts at most this far apart, so they hold to within about a second. */
const MAX_CHECKING_INTERVAL_MS = 1000;

export function httpServerLimits(headersTimeoutMs: number, requestTimeoutMs: number): HttpServerLimits {
  return {
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.min(MAX_CHECKING_INTERVAL_MS, headersTimeoutMs),
  };
}
