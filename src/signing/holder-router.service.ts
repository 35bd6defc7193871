import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Observable, Subscriber, TeardownLogic, throwError, timeout } from 'rxjs';
import { SigSocketError } from '../common/sigsocket.error.js';
import { runWithRequestId } from '../logging/request-context.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { toLowSCompact } from '../protocol/signature-encoding.js';
import type { HolderAnswer, HolderLink } from '../registry/holder-link.interface.js';
import { RegistryService } from '../registry/registry.service.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { linkRequestOf, PendingRequest, PendingRequests } from './pending-requests.js';
import type { AnswerOutcome, RouteRequest } from './route-request.interface.js';

export type { AnswerOutcome, RouteRequest } from './route-request.interface.js';
import { admitPending } from './sign-admission.js';
import type { SignResult } from './sign-result.interface.js';
import { SigningLifecycle } from './signing-lifecycle.js';

/**
 * Routes requests to holder links and their answers back by id, carries requests over a
 * holder's reconnect, and drains on shutdown. The gateway's side of signing; host apps use
 * {@link SigningService}.
 */
@Injectable()
export class HolderRouter {
  // Lines about sign requests keep the context operators already filter on.
  private readonly logger = new Logger('SigningService');
  private readonly pending = new PendingRequests();
  private readonly lifecycle: SigningLifecycle;

  constructor(
    @Inject(SIGSOCKET_OPTIONS) private readonly options: ResolvedSigSocketOptions,
    private readonly registry: RegistryService,
    private readonly verifier: SignatureVerifierService,
    private readonly metrics: SigSocketMetrics,
  ) {
    this.lifecycle = new SigningLifecycle(options.reconnectGraceMs, this.pending);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** False from the start of shutdown: new requests and connections are refused. */
  get isAccepting(): boolean {
    return this.lifecycle.isAccepting;
  }

  /** False from the first step of shutdown; new work is still taken until `stopAccepting`. */
  get isReady(): boolean {
    return this.lifecycle.isReady;
  }

  leave(): void {
    this.lifecycle.leave();
  }

  stopAccepting(): void {
    this.lifecycle.stopAccepting();
  }

  /** Stops accepting, lets pending requests finish for `graceMs`, then fails the rest. */
  drain(graceMs: number): Promise<void> {
    return this.lifecycle.drain(graceMs);
  }

  /**
   * Delivers the request to its key's holder when subscribed; the deadline is the `timeout`
   * operator's. Every outcome, and unsubscribing, removes the request and cancels it on the link.
   */
  request$(route: RouteRequest): Observable<SignResult> {
    const { timeoutMs } = route;
    return new Observable<SignResult>((subscriber) => this.open(subscriber, route)).pipe(
      timeout({
        first: timeoutMs,
        with: () =>
          throwError(() => new SigSocketError(ErrorCode.Timeout, `no valid answer within ${timeoutMs} ms`)),
      }),
    );
  }

  /**
   * A holder's answer to request `id`: `unknown` when no request of the link's key has that id
   * (a late answer, say), which changes nothing.
   */
  answer(link: HolderLink, id: string, answer: HolderAnswer): AnswerOutcome {
    const request = this.take(link, id);
    if (request === undefined) return 'unknown';
    // Log lines about the answer belong to the HTTP request that asked for it.
    return runWithRequestId(request.requestId, () => this.settle(link, request, answer), request.caller);
  }

  /** A holder declined request `id`; false when no request of the link's key has that id. */
  decline(link: HolderLink, id: string, reason: string): boolean {
    const request = this.take(link, id);
    if (request === undefined) return false;
    runWithRequestId(
      request.requestId,
      () => {
        this.logger.log(`[${link.id}] holder declined`);
        request.observer.error(new SigSocketError(ErrorCode.Rejected, reason || 'the holder declined'));
      },
      request.caller,
    );
    return true;
  }

  /** A (re)connected holder receives every request still pending for its key, within its limits. */
  attach(link: HolderLink): void {
    this.lifecycle.returned(link.keyId);
    for (const request of this.pending.forKey(link.keyId)) {
      try {
        link.deliver(linkRequestOf(request));
        request.link = link;
      } catch (error) {
        this.pending.remove(request);
        request.observer.error(error);
      }
    }
  }

  /** The key's link is gone: its requests wait `reconnectGraceMs` for it to come back. */
  detach(keyId: string): void {
    this.lifecycle.left(keyId);
  }

  private open(subscriber: Subscriber<SignResult>, route: RouteRequest): TeardownLogic {
    const link = this.registry.get(route.keyId);
    if (link === undefined) {
      throw new SigSocketError(ErrorCode.NotConnected, 'no holder is connected for that key');
    }
    admitPending(this.options, this.pending, route.caller, route.keyId);
    const request: PendingRequest = {
      id: randomUUID(),
      keyId: route.keyId,
      caller: route.caller,
      shownCaller: route.shownCaller,
      message: route.message,
      deadline: Date.now() + route.timeoutMs,
      observer: subscriber,
      requestId: route.requestId,
    };
    link.deliver(linkRequestOf(request));
    request.link = link;
    this.pending.add(request);
    if (Logger.isLevelEnabled('debug')) {
      runWithRequestId(
        request.requestId,
        () => this.logger.debug(`[${link.id}] sign request sent`),
        route.caller,
      );
    }
    return () => this.withdraw(request);
  }

  /** The request's subscriber is done; if nothing answered it, its link need not either. */
  private withdraw(request: PendingRequest): void {
    if (!this.pending.remove(request)) return;
    request.link?.cancel(request.id, Date.now() >= request.deadline ? 'expired' : 'withdrawn');
  }

  /** Removes the request `id` if it is this link's key's; another key's request is left alone. */
  private take(link: HolderLink, id: string): PendingRequest | undefined {
    const request = this.pending.get(id);
    if (request === undefined || request.keyId !== link.keyId) {
      this.logger.debug(`[${link.id}] unmatched answer ignored`);
      return undefined;
    }
    this.pending.remove(request);
    if (request.link !== link) request.link?.cancel(id, 'answered');
    return request;
  }

  private settle(link: HolderLink, request: PendingRequest, answer: HolderAnswer): AnswerOutcome {
    const valid = this.verifier.verify(request.message, answer.signature, link.publicKey);
    this.metrics.recordVerification(valid);
    // A verified signature is compact or strict DER with scalars in range, so it always converts.
    const signatureCompact = valid ? toLowSCompact(answer.signature) : null;
    if (signatureCompact === null) {
      this.logger.warn(`[${link.id}] signature did not verify`);
      request.observer.error(
        new SigSocketError(ErrorCode.InvalidSignature, 'the holder answered with an invalid signature'),
      );
      return 'invalid_signature';
    }
    if (Logger.isLevelEnabled('debug')) this.logger.debug(`[${link.id}] signature verified`);
    request.observer.next({
      publicKey: link.keyId,
      message: request.message,
      signature: answer.signature,
      signatureBase64: answer.signatureBase64,
      signatureCompact,
    });
    request.observer.complete();
    return 'verified';
  }
}
