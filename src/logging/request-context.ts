import { AsyncLocalStorage } from 'node:async_hooks';

/** What is known about the HTTP request that the current code runs for. */
export interface RequestContextStore {
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestContextStore>();

/** The id of the request the current async context belongs to, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/**
 * Runs `fn` as part of a request, so that log lines written inside it carry the request id.
 * Without an id the current context is left as it is.
 */
export function runWithRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return requestId === undefined ? fn() : storage.run({ requestId }, fn);
}
