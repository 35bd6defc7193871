import { createHash } from 'node:crypto';
import { Observable, type Subscription } from 'rxjs';
import { decodeBase64, encodeBase64 } from '../protocol/base64.js';
import {
  conflict,
  fingerprintOf,
  type IdempotencyStore,
  type IdempotentRequest,
} from '../signing/idempotency-store.js';
import type { SignResult } from '../signing/sign-result.interface.js';
import type { Idempotency } from './idempotency.interface.js';
import type { RedisConnection } from './redis-connection.js';

const POLL_MS = 25;

interface Entry {
  readonly fingerprint: string;
  /** Set once the first request succeeded. */
  readonly signature?: string;
  readonly compact?: string;
}

/**
 * Idempotency across instances: this instance's store joins repeats that reach it, and Redis
 * tells every instance which one asked the holder and what it answered. A repeat elsewhere waits
 * for that answer, polling within the longest sign timeout; if the first request fails, the repeat
 * asks again. While Redis is unreachable, each instance decides alone.
 */
export class RedisIdempotency implements Idempotency {
  constructor(
    private readonly local: IdempotencyStore,
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly maxWaitMs: number,
  ) {}

  run(request: IdempotentRequest, start: () => Observable<SignResult>): Observable<SignResult> {
    return this.local.run(request, () => this.shared(request, start));
  }

  close(): void {
    this.local.close();
  }

  private shared(request: IdempotentRequest, start: () => Observable<SignResult>): Observable<SignResult> {
    const scoped = `${request.caller.length}:${request.caller}:${request.key}`;
    const key = `${this.prefix}:idem:${createHash('sha256').update(scoped).digest('base64url')}`;
    const fingerprint = fingerprintOf(request);
    return new Observable<SignResult>((subscriber) => {
      let inner: Subscription | undefined;
      let timer: NodeJS.Timeout | undefined;
      let closed = false;
      const deadline = Date.now() + this.maxWaitMs;
      const own = (): void => {
        inner = start().subscribe({
          next: (result) => {
            const done: Entry = {
              fingerprint,
              signature: result.signatureBase64,
              compact: encodeBase64(result.signatureCompact),
            };
            this.redis.client.set(key, JSON.stringify(done), 'PX', this.ttlMs).catch(() => undefined);
            subscriber.next(result);
          },
          error: (error: unknown) => {
            this.redis.client.del(key).catch(() => undefined);
            subscriber.error(error);
          },
          complete: () => subscriber.complete(),
        });
      };
      const attempt = (): void => {
        if (closed) return;
        if (!this.redis.available || Date.now() > deadline) return own();
        const flying = JSON.stringify({ fingerprint } satisfies Entry);
        this.redis.client
          .set(key, flying, 'PX', this.maxWaitMs + this.ttlMs, 'NX')
          .then((set) => (set === 'OK' ? null : this.redis.client.get(key)))
          .then(
            (found) => {
              if (closed) return;
              if (found === null) return own();
              const entry = JSON.parse(found) as Entry;
              if (entry.fingerprint !== fingerprint) return void conflict().subscribe(subscriber);
              const replay = replayOf(entry, request);
              if (replay !== undefined) {
                subscriber.next(replay);
                return subscriber.complete();
              }
              timer = setTimeout(attempt, POLL_MS);
              timer.unref();
            },
            () => own(),
          );
      };
      attempt();
      return () => {
        closed = true;
        clearTimeout(timer);
        inner?.unsubscribe();
      };
    });
  }
}

function replayOf(entry: Entry, request: IdempotentRequest): SignResult | undefined {
  if (entry.signature === undefined || entry.compact === undefined) return undefined;
  const signature = decodeBase64(entry.signature);
  const signatureCompact = decodeBase64(entry.compact);
  if (signature === null || signatureCompact === null) return undefined;
  return {
    publicKey: request.keyId,
    message: request.message,
    signature,
    signatureBase64: entry.signature,
    signatureCompact,
  };
}
