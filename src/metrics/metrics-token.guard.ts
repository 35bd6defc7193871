import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SIGSOCKET_OPS_OPTIONS } from '../ops/ops.constants.js';
import type { ResolvedSigSocketOpsOptions } from '../ops/ops-options.interface.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Lets a scrape through when no token is configured or when it presents the token as a Bearer
 * credential. Both sides are hashed first, so the comparison takes the same time whatever the
 * presented token's length or content.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(SIGSOCKET_OPS_OPTIONS) options: ResolvedSigSocketOpsOptions) {
    this.expected = options.metricsToken === '' ? undefined : digest(options.metricsToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.expected === undefined) return true;
    const { headers } = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders }>();
    const presented = BEARER.exec(headers.authorization ?? '')?.[1];
    if (presented !== undefined && timingSafeEqual(digest(presented), this.expected)) return true;
    throw new UnauthorizedException({
      statusCode: 401,
      error: 'unauthorized',
      message: 'a valid bearer token is required',
    });
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
