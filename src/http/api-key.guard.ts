import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ANONYMOUS_CALLER, parseApiKeys } from '../common/api-keys.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { setCaller } from './caller.decorator.js';

interface WithHeaders {
  headers: Record<string, string | string[] | undefined>;
}

interface KnownKey {
  readonly name: string;
  readonly digest: Buffer;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * `Authorization: Bearer <key>` against `apiKeys`, when any are configured, and the caller's name
 * for the request: the matched key's name, or `anonymous` when no keys are configured. Keys are
 * compared as SHA-256 digests with `timingSafeEqual`, every configured key each time, so neither a
 * key's length nor its position leaks through timing.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: KnownKey[];

  constructor(@Inject(SIGSOCKET_OPTIONS) options: ResolvedSigSocketOptions) {
    this.keys = parseApiKeys(options.apiKeys).map(({ name, secret }) => ({ name, digest: digest(secret) }));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<WithHeaders>();
    if (this.keys.length === 0) {
      setCaller(request, ANONYMOUS_CALLER);
      return true;
    }
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (token === undefined) {
      throw new SigSocketError(ErrorCode.Unauthorized, 'an API key is required: Authorization: Bearer <key>');
    }
    const presented = digest(token);
    let caller: string | undefined;
    for (const key of this.keys) caller = timingSafeEqual(key.digest, presented) ? key.name : caller;
    if (caller === undefined) throw new SigSocketError(ErrorCode.Unauthorized, 'the API key is not valid');
    setCaller(request, caller);
    return true;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
