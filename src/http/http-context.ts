import type { ExecutionContext } from '@nestjs/common';

/**
 * The request of an HTTP execution context, read from its arguments (`[request, response, next]`).
 * `switchToHttp().getRequest()` returns the same object, but each `switchToHttp()` first copies
 * three new closures onto the context with `Object.assign`: on `POST /sign` that was three times a
 * request (docs/performance.md).
 */
export function httpRequestOf<T>(context: ExecutionContext): T {
  return context.getArgByIndex<T>(0);
}

/** The response of an HTTP execution context; see {@link httpRequestOf}. */
export function httpResponseOf<T>(context: ExecutionContext): T {
  return context.getArgByIndex<T>(1);
}
