import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { BearerKeys } from '../common/bearer-keys.js';
import type { IncomingHttpHeaders } from 'node:http';
import { SIGSOCKET_OPS_OPTIONS } from './ops.constants.js';
import type { ResolvedSigSocketOpsOptions } from './ops-options.interface.js';

/**
 * Lets a scrape through when no token is configured or when it presents the token as a Bearer
 * credential, compared in constant time ({@link BearerKeys}).
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly token: BearerKeys;

  constructor(@Inject(SIGSOCKET_OPS_OPTIONS) options: ResolvedSigSocketOpsOptions) {
    this.token = new BearerKeys(
      options.metricsToken === '' ? [] : [{ name: 'metrics', secret: options.metricsToken }],
    );
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.token.isEmpty) return true;
    const { headers } = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders }>();
    const presented = BearerKeys.tokenOf(headers.authorization);
    if (presented !== undefined && this.token.nameOf(presented) !== undefined) return true;
    throw new UnauthorizedException({
      statusCode: 401,
      error: 'unauthorized',
      message: 'a valid bearer token is required',
    });
  }
}
