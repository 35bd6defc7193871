import { Observable, Subscriber, TeardownLogic, throwError, timeout } from 'rxjs';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';

/**
 * A request that fails with `timeout` after `timeoutMs`, through RxJS's `timeout` operator.
 * `subscribe` runs once per subscription. When the deadline passes, the operator first
 * unsubscribes from the source, which runs that subscription's teardown, and then, at once and
 * before anything else runs, calls `expired`: so `expired` belongs to the teardown that ran last.
 * A teardown that needs to know why it ran reads what `expired` recorded a microtask later. The
 * cause is not read from the clock: the timer's clock is not `Date.now()`, and it may fire a few
 * ms before a deadline taken from it.
 */
export function withDeadline<T>(
  timeoutMs: number,
  subscribe: (subscriber: Subscriber<T>) => TeardownLogic,
  expired: () => void,
): Observable<T> {
  return new Observable<T>(subscribe).pipe(
    timeout({
      first: timeoutMs,
      with: () => {
        expired();
        return throwError(
          () => new SigSocketError(ErrorCode.Timeout, `no valid answer within ${timeoutMs} ms`),
        );
      },
    }),
  );
}
