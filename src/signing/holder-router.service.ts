import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Observable, Subscriber, TeardownLogic } from 'rxjs';
import { CLUSTER_PARTS } from '../cluster/cluster.constants.js';
import type { ClusterParts } from '../cluster/cluster-parts.interface.js';
import type { ClaimOutcome } from '../cluster/holder-directory.interface.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { runWithRequestId } from '../logging/request-context.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { HolderAnswer, HolderLink } from '../registry/holder-link.interface.js';
import { RegistryService } from '../registry/registry.service.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { settleAnswer } from './answer-settlement.js';
import { ForwardedRequests } from './forwarded-requests.js';
import { linkRequestOf, PendingRequest, PendingRequests } from './pending-requests.js';
import { announceArrival, deliverPendingTo, RemoteRouting } from './remote-routing.js';
import type { AnswerOutcome, RouteRequest } from './route-request.interface.js';
import { admitPending } from './sign-admission.js';
import type { SignResult } from './sign-result.interface.js';
import { withDeadline } from './request-deadline.js';
import { RequestWithdrawals } from './request-withdrawals.js';
import { SigningLifecycle } from './signing-lifecycle.js';

export type { AnswerOutcome, RouteRequest } from './route-request.interface.js';

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
  /** Links whose claim the directory has not acknowledged: v2 holders are not `ready` yet. */
  private readonly announcing = new WeakSet<HolderLink>();
  /** Readiness, accepting and the reconnect grace; shutdown steps go through it. */
  readonly lifecycle: SigningLifecycle;
  /** Requests whose holders are on other instances, and those from callers on other instances. */
  readonly remote: RemoteRouting;
  readonly forwarded: ForwardedRequests;
  /** Takes back requests whose callers are done, and cancels them on their links. */
  private readonly withdrawals = new RequestWithdrawals(this.pending);

  constructor(
    @Inject(SIGSOCKET_OPTIONS) private readonly options: ResolvedSigSocketOptions,
    private readonly registry: RegistryService,
    private readonly verifier: SignatureVerifierService,
    private readonly metrics: SigSocketMetrics,
    @Inject(CLUSTER_PARTS) private readonly cluster: ClusterParts,
  ) {
    this.lifecycle = new SigningLifecycle(options.reconnectGraceMs, this.pending);
    this.remote = new RemoteRouting(cluster, this.pending, this.lifecycle);
    this.forwarded = new ForwardedRequests(cluster.bus, cluster.directory.instanceId, verifier);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** False from the start of shutdown: new requests and connections are refused. */
  get isAccepting(): boolean {
    return this.lifecycle.isAccepting;
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
    return withDeadline(
      route.timeoutMs,
      (subscriber) => this.open(subscriber, route),
      this.withdrawals.expireLast,
    );
  }

  /**
   * A holder's answer to request `id`: `unknown` when no request of the link's key has that id
   * (a late answer, say), which changes nothing.
   */
  answer(link: HolderLink, id: string, answer: HolderAnswer): AnswerOutcome {
    const request = this.take(link, id);
    if (request === undefined) return this.forwarded.answer(link, id, answer);
    // Log lines about the answer belong to the HTTP request that asked for it.
    return runWithRequestId(
      request.requestId,
      () => settleAnswer(this.verifier, this.metrics, this.logger, link, request, answer),
      request.caller,
    );
  }

  /** A holder declined request `id`; false when no request of the link's key has that id. */
  decline(link: HolderLink, id: string, reason: string): boolean {
    const request = this.take(link, id);
    if (request === undefined) return this.forwarded.decline(link, id, reason);
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

  /**
   * A holder proved itself here: once the directory has it (at once during an outage), `announce`
   * runs (v2's `ready`) and it gets the key's pending requests. A later one elsewhere wins: 4001.
   */
  attach(link: HolderLink, announce?: () => void): Promise<void> | void {
    if (!this.cluster.health.available) return this.attached(link, { won: true }, announce);
    const outcome = this.cluster.directory.claim(link.keyId, link.protocol);
    if (!(outcome instanceof Promise)) return this.attached(link, outcome, announce);
    this.announcing.add(link);
    return outcome.then(
      (claimed) => this.attached(link, claimed, announce),
      () => this.attached(link, { won: true }, announce),
    );
  }

  /** Sends the key's pending requests to `link`, which is where its holder now is. */
  redeliver(link: HolderLink): void {
    this.lifecycle.returned(link.keyId);
    deliverPendingTo(this.pending, link);
  }

  private attached(link: HolderLink, outcome: ClaimOutcome, announce?: () => void): void {
    this.announcing.delete(link);
    if (this.registry.get(link.keyId) !== link || !announceArrival(this.cluster, link, outcome)) return;
    announce?.();
    this.redeliver(link);
  }

  /** The key's link is gone: the requests sent to it wait `reconnectGraceMs` for it to come back. */
  detach(keyId: string, link?: HolderLink): void {
    this.lifecycle.left(keyId, link);
    this.forwarded.left(keyId);
    if (this.registry.get(keyId) !== undefined) return;
    this.cluster.bus.broadcast({ t: 'departed', from: this.cluster.directory.instanceId, keyId });
    this.cluster.directory.release(keyId).catch(() => undefined);
  }

  private open(subscriber: Subscriber<SignResult>, route: RouteRequest): TeardownLogic {
    const link = this.registry.get(route.keyId);
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
      link: undefined,
      expired: false,
    };
    if (link === undefined || this.announcing.has(link)) {
      // A link still announcing gets the request with the key's others once it is ready.
      if (link === undefined) this.remote.open(request);
      else this.pending.add(request);
      return () => this.withdrawals.withdraw(request);
    }
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
    return () => this.withdrawals.withdraw(request);
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
}
