import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiKeyGuard } from './api-key.guard.js';
import { CrossSiteGuard } from './cross-site.guard.js';
import { httpRequestOf } from './http-context.js';
import { JsonBodyGuard } from './json-body.guard.js';

/**
 * The checks of `GET /status` and `GET /connected/:publicKey` in one guard: the API key (401),
 * then the origin (403). One guard per route rather than one per check, because Nest awaits each
 * guard's result in turn, which costs a few promises a request (docs/performance.md).
 */
@Injectable()
export class RelayRouteGuard implements CanActivate {
  constructor(
    private readonly apiKey: ApiKeyGuard,
    private readonly crossSite: CrossSiteGuard,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    return this.check(httpRequestOf<{ headers: IncomingHttpHeaders }>(context));
  }

  /** The same checks on a request (Node's or the framework's), for a hook that runs before Nest. */
  check(request: { headers: IncomingHttpHeaders }): true {
    return this.apiKey.check(request) && this.crossSite.check(request.headers);
  }
}

/**
 * The checks of `POST /sign` in one guard, in the order the API promises: the API key (401), the
 * origin (403), then the body (415, 413, 400), so that an unauthorised caller's body is never read.
 */
@Injectable()
export class SignRouteGuard implements CanActivate {
  constructor(
    private readonly route: RelayRouteGuard,
    private readonly body: JsonBodyGuard,
  ) {}

  canActivate(context: ExecutionContext): true | Promise<true> {
    this.route.canActivate(context);
    return this.body.canActivate(context);
  }
}
