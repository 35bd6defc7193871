import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { defer, firstValueFrom, Observable, throwError, timeout } from 'rxjs';
import { SigSocketError } from '../common/sigsocket.error.js';
import { currentRequestId, runWithRequestId } from '../logging/request-context.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { encodeBase64 } from '../protocol/base64.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { SignResponseFrame } from '../protocol/holder-frame.js';
import type { HolderConnection } from '../registry/holder-connection.interface.js';
import { RegistryService } from '../registry/registry.service.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { PendingRequest, PendingRequests } from './pending-requests.js';
import type { SignOptions, SignResult } from './sign-result.interface.js';

/**
 * Gets messages signed by connected holders. Inject it from {@link SigSocketModule}.
 * Every failure is a {@link SigSocketError} with a stable `code`.
 */
@Injectable()
export class SigningService implements OnModuleDestroy {
  private readonly logger = new Logger(SigningService.name);
  private readonly pending = new PendingRequests();

  constructor(
    @Inject(SIGSOCKET_OPTIONS) private readonly options: ResolvedSigSocketOptions,
    private readonly registry: RegistryService,
    private readonly verifier: SignatureVerifierService,
    private readonly metrics: SigSocketMetrics,
  ) {}

  /**
   * Asks the holder of `publicKey` (any accepted hex form) to sign `message` and resolves with
   * the verified signature. Rejects with `invalid_request`, `not_connected`, `invalid_signature`,
   * `client_disconnected` or `timeout`.
   */
  sendToSign(publicKey: string, message: Uint8Array, options?: SignOptions): Promise<SignResult> {
    return firstValueFrom(this.sign$(publicKey, message, options));
  }

  /**
   * The Observable twin of {@link sendToSign}: nothing is sent until it is subscribed, and
   * unsubscribing withdraws the request.
   */
  sign$(publicKey: string, message: Uint8Array, options?: SignOptions): Observable<SignResult> {
    return defer(() => {
      const timeoutMs = this.timeoutOf(options);
      if (!(message instanceof Uint8Array) || message.length === 0) {
        throw new SigSocketError(ErrorCode.InvalidRequest, 'message must be non-empty bytes');
      }
      const keyId = this.registry.resolveKeyId(publicKey);
      const holder = this.registry.get(keyId);
      if (holder === undefined) {
        throw new SigSocketError(ErrorCode.NotConnected, 'no holder is connected for that key');
      }
      const request$ = new Observable<SignResult>((subscriber) => {
        const request: PendingRequest = {
          keyId,
          messageBase64: encodeBase64(message),
          message,
          subscriber,
          requestId: currentRequestId(),
        };
        this.pending.add(request);
        holder.send(request.messageBase64);
        this.logger.debug(`[${holder.id}] sign request sent`);
        return () => this.pending.remove(request);
      });
      return request$.pipe(
        timeout({
          first: timeoutMs,
          with: () =>
            throwError(() => new SigSocketError(ErrorCode.Timeout, `no valid answer within ${timeoutMs} ms`)),
        }),
      );
    }).pipe(this.metrics.instrumentSign());
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

  /** A holder's answer. Unmatched answers, such as late ones after a timeout, are ignored. */
  handleResponse(holder: HolderConnection, frame: SignResponseFrame): void {
    const request = this.match(holder.keyId, frame.messageBase64);
    if (request === undefined) {
      this.logger.debug(`[${holder.id}] unmatched response ignored`);
      return;
    }
    this.pending.remove(request);
    // Log lines about the answer belong to the HTTP request that asked for it.
    runWithRequestId(request.requestId, () => this.settle(holder, request, frame));
  }

  /** A (re)connected holder receives every request still pending for its key. */
  onHolderAttached(holder: HolderConnection): void {
    for (const request of this.pending.forKey(holder.keyId)) holder.send(request.messageBase64);
  }

  /** The key's last connection is gone: its pending requests fail now rather than at timeout. */
  onHolderDetached(keyId: string): void {
    for (const request of this.pending.forKey(keyId)) {
      this.pending.remove(request);
      request.subscriber.error(new SigSocketError(ErrorCode.ClientDisconnected, 'the holder disconnected'));
    }
  }

  onModuleDestroy(): void {
    for (const request of this.pending.all()) {
      this.pending.remove(request);
      request.subscriber.error(
        new SigSocketError(ErrorCode.ClientDisconnected, 'the server is shutting down'),
      );
    }
  }

  private settle(holder: HolderConnection, request: PendingRequest, frame: SignResponseFrame): void {
    const valid = this.verifier.verify(request.message, frame.signature, holder.publicKey);
    this.metrics.recordVerification(valid);
    if (valid) {
      this.logger.debug(`[${holder.id}] signature verified`);
      request.subscriber.next({
        publicKey: holder.keyId,
        message: request.message,
        signature: frame.signature,
        signatureBase64: frame.signatureBase64,
      });
      request.subscriber.complete();
    } else {
      this.logger.warn(`[${holder.id}] signature did not verify`);
      request.subscriber.error(
        new SigSocketError(ErrorCode.InvalidSignature, 'the holder answered with an invalid signature'),
      );
    }
  }

  private match(keyId: string, messageBase64: string): PendingRequest | undefined {
    const exact = this.pending.oldest(keyId, messageBase64);
    if (exact !== undefined) return exact;
    // A holder may re-encode the bytes with non-zero padding bits; match on the bytes.
    const canonical = Buffer.from(messageBase64, 'base64').toString('base64');
    return canonical === messageBase64 ? undefined : this.pending.oldest(keyId, canonical);
  }

  private timeoutOf(options: SignOptions | undefined): number {
    const requested = options?.timeoutMs;
    if (requested === undefined) return this.options.signTimeoutMs;
    if (!Number.isInteger(requested) || requested < 1 || requested > this.options.maxSignTimeoutMs) {
      throw new SigSocketError(
        ErrorCode.InvalidRequest,
        `timeoutMs must be an integer from 1 to ${this.options.maxSignTimeoutMs}`,
      );
    }
    return requested;
  }
}
