import type { Observable } from 'rxjs';
import type { IdempotentRequest } from '../signing/idempotency-store.js';
import type { SignResult } from '../signing/sign-result.interface.js';

/**
 * Idempotency keys: a repeat from the same caller joins the request in flight or replays its
 * result. In memory for one instance; across instances on Redis.
 */
export interface Idempotency {
  run(request: IdempotentRequest, start: () => Observable<SignResult>): Observable<SignResult>;
  close(): void;
}
