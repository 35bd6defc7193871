/**
 * The request id and caller of the code running right now, for log lines. The scope is
 * synchronous on purpose: on Node 20 an AsyncLocalStorage turns on async hooks for every promise in
 * the process, which costs CPU on every sign (measured in docs/performance.md). Code that logs
 * about a request later (a holder's answer, say) keeps the id and re-enters it with
 * {@link runWithRequestId}.
 */
let current: string | undefined;
let currentCallerName: string | undefined;

/** The id of the request the current synchronous scope belongs to, if any. */
export function currentRequestId(): string | undefined {
  return current;
}

/** The name of the caller the current synchronous scope acts for, if any. */
export function currentCaller(): string | undefined {
  return currentCallerName;
}

/**
 * Runs `fn` as part of a request, so that log lines written synchronously inside it carry the
 * request id and the caller's name. What is undefined stays as the current scope has it.
 */
export function runWithRequestId<T>(requestId: string | undefined, fn: () => T, caller?: string): T {
  if (requestId === undefined && caller === undefined) return fn();
  const previous = current;
  const previousCaller = currentCallerName;
  current = requestId ?? previous;
  currentCallerName = caller ?? previousCaller;
  try {
    return fn();
  } finally {
    current = previous;
    currentCallerName = previousCaller;
  }
}
