import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';

interface WithHeaders {
  headers: Record<string, string | string[] | undefined>;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * `Authorization: Bearer <key>` against `apiKeys`, when any are configured. Keys are compared
 * as SHA-256 digests with `timingSafeEqual`, every configured key each time, so neither a key's
 * length nor its position leaks through timing.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly digests: Buffer[];

  constructor(@Inject(SIGSOCKET_OPTIONS) options: ResolvedSigSocketOptions) {
    this.digests = options.apiKeys.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.digests.length === 0) return true;
    const header = context.switchToHttp().getRequest<WithHeaders>().headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (token === undefined) {
      throw new SigSocketError(ErrorCode.Unauthorized, 'an API key is required: Authorization: Bearer <key>');
    }
    const presented = digest(token);
    let match = false;
    for (const known of this.digests) match = timingSafeEqual(known, presented) || match;
    if (!match) throw new SigSocketError(ErrorCode.Unauthorized, 'the API key is not valid');
    return true;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
