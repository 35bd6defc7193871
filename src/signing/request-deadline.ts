import { defer, Observable, Subscriber, TeardownLogic, throwError, timeout } from 'rxjs';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';

/** How a request's subscription ended: `expired` is set once the `timeout` operator has fired. */
export interface Ending {
  expired: boolean;
}

/**
 * A request that fails with `timeout` after `timeoutMs`, through RxJS's `timeout` operator.
 * `open` runs once per subscription with that subscription's {@link Ending}. The operator
 * unsubscribes from the source before it raises, so a teardown that needs the cause reads it a
 * microtask later. The cause is not read from the clock: the timer's clock is not `Date.now()`,
 * and it may fire a few ms before a deadline taken from it.
 */
export function withDeadline<T>(
  timeoutMs: number,
  open: (subscriber: Subscriber<T>, ending: Ending) => TeardownLogic,
): Observable<T> {
  return defer(() => {
    const ending: Ending = { expired: false };
    return new Observable<T>((subscriber) => open(subscriber, ending)).pipe(
      timeout({
        first: timeoutMs,
        with: () => {
          ending.expired = true;
          return throwError(
            () => new SigSocketError(ErrorCode.Timeout, `no valid answer within ${timeoutMs} ms`),
          );
        },
      }),
    );
  });
}
