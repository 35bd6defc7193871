import { createHash } from 'node:crypto';
import { finalize, map, Observable, of, share, tap, throwError } from 'rxjs';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { SignResult } from './sign-result.interface.js';

/** How often expired results are dropped while any are kept. */
export const IDEMPOTENCY_SWEEP_MS = 1_000;
/** Bytes of an entry besides its strings and signature (map slot, objects, headers), from a heap measurement. */
export const IDEMPOTENCY_ENTRY_OVERHEAD = 540;

export interface IdempotencyLimits {
  readonly ttlMs: number;
  readonly maxKeys: number;
  readonly maxBytes: number;
}

/** One use of an Idempotency-Key. */
export interface IdempotentRequest {
  /** Keys are scoped per caller: two callers may use the same key for different requests. */
  readonly caller: string;
  readonly key: string;
  /** The canonical id of the holder's key. */
  readonly keyId: string;
  readonly message: Uint8Array;
}

interface InFlight {
  readonly fingerprint: string;
  readonly result$: Observable<SignResult>;
  readonly bytes: number;
}

/** Only what a replay needs: never the message, never a slice of the holder's frame. */
interface Done {
  readonly fingerprint: string;
  readonly signature: Uint8Array;
  readonly signatureBase64: string;
  readonly signatureCompact: Uint8Array;
  readonly expiresAt: number;
  readonly bytes: number;
}

/**
 * Idempotency keys in memory, bounded by count and by estimated bytes. A repeat joins the request
 * in flight or gets its result until the TTL ends, answered with the repeat's own message, which
 * the matching fingerprint proves identical. Finished results are evicted oldest first; a request
 * in flight never is, so when only those fill the store a new key fails with `too_many_pending`.
 * A failure is not kept, so a retry asks again.
 */
export class IdempotencyStore {
  private readonly inFlight = new Map<string, InFlight>();
  /** Insertion order is expiry order, since every result is kept for the same TTL. */
  private readonly done = new Map<string, Done>();
  private bytes = 0;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly limits: IdempotencyLimits) {}

  get size(): number {
    return this.inFlight.size + this.done.size;
  }

  /** Estimated bytes held. */
  get byteSize(): number {
    return this.bytes;
  }

  run(request: IdempotentRequest, start: () => Observable<SignResult>): Observable<SignResult> {
    this.evictExpired(Date.now());
    const scoped = `${request.caller.length}:${request.caller}:${request.key}`;
    const fingerprint = fingerprintOf(request);
    const done = this.done.get(scoped);
    if (done !== undefined) {
      if (done.fingerprint !== fingerprint) return conflict();
      const { signature, signatureBase64, signatureCompact } = done;
      return of({
        publicKey: request.keyId,
        message: request.message,
        signature,
        signatureBase64,
        signatureCompact,
      });
    }
    const flying = this.inFlight.get(scoped);
    if (flying !== undefined) {
      if (flying.fingerprint !== fingerprint) return conflict();
      return flying.result$.pipe(map((result) => ({ ...result, message: request.message })));
    }
    return this.begin(scoped, fingerprint, start);
  }

  /** Stops the sweep timer; expired results are still dropped on the next request. */
  close(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private begin(
    scoped: string,
    fingerprint: string,
    start: () => Observable<SignResult>,
  ): Observable<SignResult> {
    const bytes = IDEMPOTENCY_ENTRY_OVERHEAD + scoped.length + fingerprint.length;
    if (!this.makeRoom(bytes)) {
      const error = new SigSocketError(
        ErrorCode.TooManyPending,
        'too many idempotent requests are in flight',
      );
      return throwError(() => error);
    }
    const entry: InFlight = {
      fingerprint,
      bytes,
      result$: start().pipe(
        tap((result) => this.keep(scoped, entry, result)),
        finalize(() => this.forget(scoped, entry)),
        share(),
      ),
    };
    this.inFlight.set(scoped, entry);
    this.bytes += bytes;
    return entry.result$;
  }

  /** The request succeeded: its result replaces it, unless requests in flight fill the store. */
  private keep(scoped: string, entry: InFlight, result: SignResult): void {
    this.forget(scoped, entry);
    // Copies: the signature may be a view of a larger buffer, its text a slice of the whole frame.
    const signatureBase64 = Buffer.from(result.signatureBase64, 'latin1').toString('latin1');
    const signature = new Uint8Array(result.signature);
    const signatureCompact = new Uint8Array(result.signatureCompact);
    const bytes = IDEMPOTENCY_ENTRY_OVERHEAD + scoped.length + entry.fingerprint.length;
    const size = bytes + signatureBase64.length + signature.byteLength + signatureCompact.byteLength;
    if (!this.makeRoom(size)) return;
    const expiresAt = Date.now() + this.limits.ttlMs;
    this.done.set(scoped, {
      fingerprint: entry.fingerprint,
      signature,
      signatureBase64,
      signatureCompact,
      expiresAt,
      bytes: size,
    });
    this.bytes += size;
    this.armSweep();
  }

  private forget(scoped: string, entry: InFlight): void {
    if (this.inFlight.get(scoped) !== entry) return;
    this.inFlight.delete(scoped);
    this.bytes -= entry.bytes;
  }

  /** Evicts the oldest results until an entry of `bytes` fits; false when it still does not. */
  private makeRoom(bytes: number): boolean {
    const { maxKeys, maxBytes } = this.limits;
    for (const [key, oldest] of this.done) {
      if (this.size < maxKeys && this.bytes + bytes <= maxBytes) break;
      this.drop(key, oldest);
    }
    return this.size < maxKeys && this.bytes + bytes <= maxBytes;
  }

  private evictExpired(now: number): void {
    for (const [key, entry] of this.done) {
      if (entry.expiresAt > now) return;
      this.drop(key, entry);
    }
  }

  private drop(key: string, entry: Done): void {
    this.done.delete(key);
    this.bytes -= entry.bytes;
  }

  private armSweep(): void {
    if (this.sweeper !== undefined) return;
    this.sweeper = setInterval(() => {
      this.evictExpired(Date.now());
      if (this.done.size === 0) this.close();
    }, IDEMPOTENCY_SWEEP_MS);
    this.sweeper.unref();
  }
}

/** The holder's key and the message's SHA-256: equal fingerprints mean the same request. */
export function fingerprintOf(request: IdempotentRequest): string {
  return createHash('sha256').update(request.keyId).update(request.message).digest('base64');
}

export function conflict(): Observable<never> {
  const error = new SigSocketError(
    ErrorCode.IdempotencyConflict,
    'this Idempotency-Key was used with a different request',
  );
  return throwError(() => error);
}
