import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { asyncScheduler, firstValueFrom, Observable, Observer, TeardownLogic } from 'rxjs';
import { IN_PROCESS_CALLER } from '../common/api-keys.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { currentRequestId, runWithRequestId } from '../logging/request-context.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { base64Length, encodeBase64 } from '../protocol/base64.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { RejectFrame, SignResponseFrame } from '../protocol/holder-frame.js';
import type { HolderConnection } from '../registry/holder-connection.interface.js';
import { RegistryService } from '../registry/registry.service.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { HolderOutbox } from './holder-outbox.js';
import { IdempotencyStore } from './idempotency-store.js';
import { PendingRequest, PendingRequests } from './pending-requests.js';
import { admitPending, admitSignRequest } from './sign-admission.js';
import type { SignOptions, SignResult } from './sign-result.interface.js';

const DRAIN_POLL_MS = 25;

/**
 * Gets messages signed by connected holders. Inject it from {@link SigSocketModule}.
 * Every failure is a {@link SigSocketError} with a stable `code`.
 */
@Injectable()
export class SigningService implements OnModuleDestroy {
  private readonly logger = new Logger(SigningService.name);
  private readonly pending = new PendingRequests();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  private readonly idempotency: IdempotencyStore;
  private readonly outbox: HolderOutbox;
  private accepting = true;

  constructor(
    @Inject(SIGSOCKET_OPTIONS) private readonly options: ResolvedSigSocketOptions,
    private readonly registry: RegistryService,
    private readonly verifier: SignatureVerifierService,
    private readonly metrics: SigSocketMetrics,
  ) {
    this.idempotency = new IdempotencyStore({
      ttlMs: options.idempotencyTtlMs,
      maxKeys: options.idempotencyMaxKeys,
      maxBytes: options.idempotencyMaxBytes,
    });
    this.outbox = new HolderOutbox(options.maxHolderBufferBytes, options.maxBufferedBytes);
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

  isConnected(publicKey: string): boolean {
    return this.registry.isConnected(publicKey);
  }

  connectionCount(): number {
    return this.registry.connectionCount();
  }

  pendingCount(): number {
    return this.pending.size;
  }

  /** Bytes of requests sent to holders and still queued in this process. */
  bufferedBytes(): number {
    return this.outbox.bufferedBytes;
  }

  /** A holder's answer. Unmatched answers, such as late ones after a timeout, are ignored. */
  handleResponse(holder: HolderConnection, frame: SignResponseFrame): void {
    const request = this.match(holder, frame.messageBase64);
    if (request === undefined) return;
    // Log lines about the answer belong to the HTTP request that asked for it.
    runWithRequestId(request.requestId, () => this.settle(holder, request, frame), request.caller);
  }

  /** A holder declined a request. */
  handleReject(holder: HolderConnection, frame: RejectFrame): void {
    const request = this.match(holder, frame.messageBase64);
    if (request === undefined) return;
    runWithRequestId(
      request.requestId,
      () => {
        this.logger.log(`[${holder.id}] holder declined`);
        request.observer.error(new SigSocketError(ErrorCode.Rejected, frame.reason || 'the holder declined'));
      },
      request.caller,
    );
  }

  /** A (re)connected holder receives every request still pending for its key, within its limits. */
  onHolderAttached(holder: HolderConnection): void {
    clearTimeout(this.graceTimers.get(holder.keyId));
    this.graceTimers.delete(holder.keyId);
    for (const request of this.pending.forKey(holder.keyId)) {
      try {
        this.outbox.admit(holder, request.messageBase64.length);
        this.outbox.send(holder, request.messageBase64);
      } catch (error) {
        this.pending.remove(request);
        request.observer.error(error);
      }
    }
  }

  /** The key's connection is gone: its requests wait `reconnectGraceMs` for it to come back. */
  onHolderDetached(keyId: string): void {
    if (this.pending.countFor(keyId) === 0) return;
    if (this.options.reconnectGraceMs === 0) {
      this.failKey(keyId);
      return;
    }
    const timer = setTimeout(() => this.failKey(keyId), this.options.reconnectGraceMs);
    timer.unref();
    clearTimeout(this.graceTimers.get(keyId));
    this.graceTimers.set(keyId, timer);
  }

  /**
   * Stops accepting requests, lets pending ones finish for up to `graceMs`, then fails the rest
   * with `shutting_down`.
   */
  async drain(graceMs: number): Promise<void> {
    this.stopAccepting();
    const deadline = Date.now() + graceMs;
    while (this.pending.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS).unref());
    }
    this.failAll(ErrorCode.ShuttingDown, 'the server is shutting down');
  }

  onModuleDestroy(): void {
    this.idempotency.close();
  }

  /** False from the start of shutdown: new requests and connections are refused. */
  get isAccepting(): boolean {
    return this.accepting;
  }

  stopAccepting(): void {
    this.accepting = false;
  }

  /** Admits a request, then sends it, or joins the one in flight under the same idempotency key. */
  private start(
    publicKey: string,
    message: Uint8Array,
    options: SignOptions,
    caller: string,
    observer: Observer<SignResult>,
  ): TeardownLogic {
    if (!this.accepting) throw new SigSocketError(ErrorCode.ShuttingDown, 'the server is shutting down');
    const timeoutMs = admitSignRequest(this.options, message, options);
    const keyId = this.registry.resolveKeyId(publicKey);
    const requestId = options.requestId ?? currentRequestId();
    const { idempotencyKey } = options;
    if (idempotencyKey === undefined) {
      return this.dispatch(observer, keyId, caller, message, timeoutMs, requestId);
    }
    const send$ = (): Observable<SignResult> =>
      new Observable((inner) => this.dispatch(inner, keyId, caller, message, timeoutMs, requestId));
    return this.idempotency.run({ caller, key: idempotencyKey, keyId, message }, send$).subscribe(observer);
  }

  /**
   * Sends the request to the key's holder and arms its timeout. One Observable and one scheduled
   * action per request: the relay's whole cost on the hot path. The teardown withdraws the request.
   */
  private dispatch(
    observer: Observer<SignResult>,
    keyId: string,
    caller: string,
    message: Uint8Array,
    timeoutMs: number,
    requestId?: string,
  ): TeardownLogic {
    const holder = this.registry.get(keyId);
    if (holder === undefined) {
      throw new SigSocketError(ErrorCode.NotConnected, 'no holder is connected for that key');
    }
    admitPending(this.options, this.pending, caller, keyId);
    this.outbox.admit(holder, base64Length(message.length));
    const messageBase64 = encodeBase64(message);
    const request: PendingRequest = { keyId, caller, messageBase64, message, observer, requestId };
    this.pending.add(request);
    // Every outcome tears the request down, which cancels this; so when it fires, nothing else
    // has answered the caller, even if the request already left the pending set.
    const timer = asyncScheduler.schedule(() => {
      this.pending.remove(request);
      observer.error(new SigSocketError(ErrorCode.Timeout, `no valid answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const teardown = (): void => {
      timer.unsubscribe();
      this.pending.remove(request);
    };
    try {
      this.outbox.send(holder, messageBase64);
    } catch (error) {
      teardown();
      throw error;
    }
    if (Logger.isLevelEnabled('debug')) {
      runWithRequestId(requestId, () => this.logger.debug(`[${holder.id}] sign request sent`), caller);
    }
    return teardown;
  }

  private settle(holder: HolderConnection, request: PendingRequest, frame: SignResponseFrame): void {
    const valid = this.verifier.verify(request.message, frame.signature, holder.publicKey);
    this.metrics.recordVerification(valid);
    if (valid) {
      if (Logger.isLevelEnabled('debug')) this.logger.debug(`[${holder.id}] signature verified`);
      request.observer.next({
        publicKey: holder.keyId,
        message: request.message,
        signature: frame.signature,
        signatureBase64: frame.signatureBase64,
      });
      request.observer.complete();
    } else {
      this.logger.warn(`[${holder.id}] signature did not verify`);
      request.observer.error(
        new SigSocketError(ErrorCode.InvalidSignature, 'the holder answered with an invalid signature'),
      );
    }
  }

  /** Finds and removes the oldest request a frame from this holder answers. */
  private match(holder: HolderConnection, messageBase64: string): PendingRequest | undefined {
    const request = this.pending.take(holder.keyId, messageBase64);
    if (request === undefined) this.logger.debug(`[${holder.id}] unmatched frame ignored`);
    return request;
  }

  private failKey(keyId: string): void {
    this.graceTimers.delete(keyId);
    for (const request of this.pending.takeAll(keyId)) {
      request.observer.error(new SigSocketError(ErrorCode.ClientDisconnected, 'the holder disconnected'));
    }
  }

  private failAll(code: ErrorCode, message: string): void {
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
    for (const request of this.pending.takeAll()) request.observer.error(new SigSocketError(code, message));
  }
}
