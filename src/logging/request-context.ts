/**
 * The request id of the code running right now, for log lines. The scope is synchronous on
 * purpose: on Node 20 an AsyncLocalStorage turns on async hooks for every promise in the process,
 * which cost about a sixth of the server's CPU per sign in `npm run bench`. Code that logs about a
 * request later (a holder's answer, say) keeps the id and re-enters it with {@link runWithRequestId}.
 */
let current: string | undefined;

/** The id of the request the current synchronous scope belongs to, if any. */
export function currentRequestId(): string | undefined {
  return current;
}

/**
 * Runs `fn` as part of a request, so that log lines written synchronously inside it carry the
 * request id. Without an id the current scope is left as it is.
 */
export function runWithRequestId<T>(requestId: string | undefined, fn: () => T): T {
  if (requestId === undefined) return fn();
  const previous = current;
  current = requestId;
  try {
    return fn();
  } finally {
    current = previous;
  }
}
