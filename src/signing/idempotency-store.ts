import { finalize, Observable, of, share, tap } from 'rxjs';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { SignResult } from './sign-result.interface.js';

interface Entry {
  readonly fingerprint: string;
  readonly result$: Observable<SignResult>;
  done?: SignResult;
  expiresAt: number;
}

/**
 * Idempotency keys in memory, bounded by count, oldest evicted first. A repeat joins the request
 * in flight or gets its result until the TTL ends; a failure is not kept, so a retry asks again.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxKeys: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  run(key: string, fingerprint: string, start: () => Observable<SignResult>): Observable<SignResult> {
    const now = Date.now();
    this.evictExpired(now);
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      if (existing.fingerprint !== fingerprint) {
        throw new SigSocketError(
          ErrorCode.IdempotencyConflict,
          'this Idempotency-Key was used with a different request',
        );
      }
      return existing.done !== undefined ? of(existing.done) : existing.result$;
    }
    const entry: Entry = {
      fingerprint,
      expiresAt: Number.POSITIVE_INFINITY,
      result$: start().pipe(
        tap((result) => {
          entry.done = result;
          entry.expiresAt = Date.now() + this.ttlMs;
          // Re-insert so that insertion order stays expiry order.
          this.entries.delete(key);
          this.entries.set(key, entry);
        }),
        finalize(() => {
          if (entry.done === undefined && this.entries.get(key) === entry) this.entries.delete(key);
        }),
        share(),
      ),
    };
    this.entries.set(key, entry);
    while (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
    return entry.result$;
  }

  private evictExpired(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.done === undefined) continue;
      if (entry.expiresAt > now) return;
      this.entries.delete(key);
    }
  }
}
