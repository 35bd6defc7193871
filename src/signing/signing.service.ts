import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { firstValueFrom, Observable, Observer, TeardownLogic } from 'rxjs';
import { CLUSTER_PARTS } from '../cluster/cluster.constants.js';
import type { ClusterParts } from '../cluster/cluster-parts.interface.js';
import type { Idempotency } from '../cluster/idempotency.interface.js';
import { IN_PROCESS_CALLER, mayShowCaller } from '../common/api-keys.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { currentRequestId } from '../logging/request-context.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { RegistryService } from '../registry/registry.service.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { HolderOutbox } from './holder-outbox.js';
import { HolderRouter, RouteRequest } from './holder-router.service.js';
import { admitSignRequest } from './sign-admission.js';
import type { SignOptions, SignResult } from './sign-result.interface.js';

/**
 * Gets messages signed by connected holders. Inject it from {@link SigSocketModule}.
 * Every failure is a {@link SigSocketError} with a stable `code`.
 */
@Injectable()
export class SigningService implements OnModuleDestroy {
  private readonly idempotency: Idempotency;

  constructor(
    @Inject(SIGSOCKET_OPTIONS) private readonly options: ResolvedSigSocketOptions,
    private readonly registry: RegistryService,
    private readonly router: HolderRouter,
    private readonly outbox: HolderOutbox,
    private readonly metrics: SigSocketMetrics,
    @Inject(CLUSTER_PARTS) cluster: ClusterParts,
  ) {
    const limits = {
      ttlMs: options.idempotencyTtlMs,
      maxKeys: options.idempotencyMaxKeys,
      maxBytes: options.idempotencyMaxBytes,
    };
    this.idempotency = cluster.idempotency(limits, options.maxSignTimeoutMs);
  }

  /**
   * Asks the holder of `publicKey` (any accepted hex form) to sign `message` and resolves with
   * the verified signature. Rejects with a {@link SigSocketError}: `invalid_request`,
   * `message_too_large`, `not_connected`, `too_many_pending`, `holder_busy`, `invalid_signature`,
   * `rejected`, `client_disconnected`, `idempotency_conflict`, `shutting_down` or `timeout`.
   */
  sendToSign(publicKey: string, message: Uint8Array, options?: SignOptions): Promise<SignResult> {
    return firstValueFrom(this.sign$(publicKey, message, options));
  }

  /**
   * The Observable twin of {@link sendToSign}: nothing is sent until it is subscribed, and
   * unsubscribing withdraws the request.
   */
  sign$(publicKey: string, message: Uint8Array, options: SignOptions = {}): Observable<SignResult> {
    return new Observable<SignResult>((subscriber) => {
      const caller = options.caller ?? IN_PROCESS_CALLER;
      const observer = this.metrics.countSign(subscriber, caller);
      try {
        return this.start(publicKey, message, options, caller, observer);
      } catch (error) {
        observer.error(error);
        return undefined;
      }
    });
  }

  /**
   * Whether a holder for this key (any accepted hex form) is connected.
   * @throws SigSocketError `invalid_request` (as a rejection) when the text is not a key.
   */
  isConnected(publicKey: string): Promise<boolean> {
    return this.registry.isConnected(publicKey);
  }

  /** Holders connected. */
  connectionCount(): Promise<number> {
    return this.registry.connectionCount();
  }

  /** Requests waiting for an answer in this process. */
  pendingCount(): number {
    return this.router.pendingCount;
  }

  /** Bytes of requests sent to holders and still queued in this process. */
  bufferedBytes(): number {
    return this.outbox.bufferedBytes;
  }

  /** False once shutdown stops taking work: new requests are refused with `shutting_down`. */
  get isAccepting(): boolean {
    return this.router.isAccepting;
  }

  /** False from the start of shutdown, before new work is refused (`SHUTDOWN_DELAY_MS`). */
  get isReady(): boolean {
    return this.router.lifecycle.isReady;
  }

  onModuleDestroy(): void {
    this.idempotency.close();
  }

  /** Admits a request, then routes it, or joins the one in flight under the same idempotency key. */
  private start(
    publicKey: string,
    message: Uint8Array,
    options: SignOptions,
    caller: string,
    observer: Observer<SignResult>,
  ): TeardownLogic {
    if (!this.router.isAccepting) {
      throw new SigSocketError(ErrorCode.ShuttingDown, 'the server is shutting down');
    }
    const timeoutMs = admitSignRequest(this.options, message, options);
    const keyId = this.registry.resolveKeyId(publicKey);
    const shown = options.caller !== undefined && options.showCaller !== false && mayShowCaller(caller);
    const route: RouteRequest = {
      keyId,
      caller,
      shownCaller: shown ? caller : undefined,
      message,
      timeoutMs,
      requestId: options.requestId ?? currentRequestId(),
    };
    const { idempotencyKey } = options;
    if (idempotencyKey === undefined) return this.router.request$(route).subscribe(observer);
    return this.idempotency
      .run({ caller, key: idempotencyKey, keyId, message }, () => this.router.request$(route))
      .subscribe(observer);
  }
}
