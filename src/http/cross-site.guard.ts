import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { httpRequestOf } from './http-context.js';

/**
 * Refuses requests a browser makes on behalf of another site (403 `forbidden_origin`): those it
 * marks `Sec-Fetch-Site: cross-site`, and, when `allowedOrigins` is set, those whose `Origin` is
 * not in it. A page elsewhere cannot then make a visitor's browser call the relay. Requests
 * without these headers (servers, scripts, older browsers) pass; `POST /sign` still takes JSON only.
 */
@Injectable()
export class CrossSiteGuard implements CanActivate {
  private readonly allowed: ReadonlySet<string>;

  constructor(@Inject(SIGSOCKET_OPTIONS) options: ResolvedSigSocketOptions) {
    this.allowed = new Set(options.allowedOrigins);
  }

  canActivate(context: ExecutionContext): boolean {
    return this.check(httpRequestOf<{ headers: IncomingHttpHeaders }>(context).headers);
  }

  /** The check on a request's headers. */
  check(headers: IncomingHttpHeaders): true {
    const site = headers['sec-fetch-site'];
    if (typeof site === 'string' && site.trim().toLowerCase() === 'cross-site') {
      throw new SigSocketError(ErrorCode.ForbiddenOrigin, 'cross-site requests are not accepted');
    }
    const { origin } = headers;
    if (this.allowed.size > 0 && origin !== undefined && !this.allowed.has(origin)) {
      throw new SigSocketError(ErrorCode.ForbiddenOrigin, 'the Origin is not in ALLOWED_ORIGINS');
    }
    return true;
  }
}
