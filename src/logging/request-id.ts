import { randomUUID } from 'node:crypto';

/** The header that carries a request id in and out. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Incoming ids are kept only when short and made of characters that are safe in any log line. */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isSafeRequestId(value: string): boolean {
  return SAFE_REQUEST_ID.test(value);
}

/** The caller's id when it is safe, otherwise a new UUID. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && isSafeRequestId(incoming) ? incoming : randomUUID();
}
