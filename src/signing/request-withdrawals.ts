import type { PendingRequest, PendingRequests } from './pending-requests.js';

/**
 * Takes back the requests whose subscribers are done, and tells their links why: `expired` when
 * the request's deadline ended it, `withdrawn` otherwise. When a deadline passes, the `timeout`
 * operator tears the request's subscription down and then, at once, calls its fallback (see
 * `withDeadline`): so the deadline expired the request torn down last, and the cancel is sent a
 * microtask later, once the fallback has said so.
 */
export class RequestWithdrawals {
  /** The request torn down last. It holds at most one, until the next teardown or deadline. */
  private last: PendingRequest | undefined;

  /** `withDeadline`'s `expired`: the request torn down last is the one that expired. */
  readonly expireLast = (): void => {
    if (this.last !== undefined) this.last.expired = true;
    this.last = undefined;
  };

  constructor(private readonly pending: PendingRequests) {}

  /** The request's subscriber is done; if nothing answered it, its link need not either. */
  withdraw(request: PendingRequest): void {
    this.last = request;
    if (!this.pending.remove(request)) return;
    const { link, id } = request;
    if (link === undefined) return;
    queueMicrotask(() => link.cancel(id, request.expired === true ? 'expired' : 'withdrawn'));
  }
}
