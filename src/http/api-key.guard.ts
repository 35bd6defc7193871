import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { parseApiKeys, shownApiKeyNames } from '../common/api-keys.js';
import { BearerKeys } from '../common/bearer-keys.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { ANONYMOUS, hasCaller, RequestCaller, setCaller } from './caller.decorator.js';
import { httpRequestOf } from './http-context.js';

interface WithHeaders {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * `Authorization: Bearer <key>` against `apiKeys`, when any are configured, in constant time
 * ({@link BearerKeys}), and the caller's name for the request: the matched key's name, or
 * `anonymous` when no keys are configured.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: BearerKeys;
  private readonly callers = new Map<string, RequestCaller>();

  constructor(@Inject(SIGSOCKET_OPTIONS) options: ResolvedSigSocketOptions) {
    const keys = parseApiKeys(options.apiKeys);
    this.keys = new BearerKeys(keys);
    const shown = shownApiKeyNames(options.apiKeys);
    for (const { name } of keys) this.callers.set(name, Object.freeze({ name, shown: shown.has(name) }));
  }

  canActivate(context: ExecutionContext): boolean {
    return this.check(httpRequestOf<WithHeaders>(context));
  }

  /** The check on a request (Node's or the framework's); a request already checked passes. */
  check(request: WithHeaders): true {
    if (hasCaller(request)) return true;
    if (this.keys.isEmpty) {
      setCaller(request, ANONYMOUS);
      return true;
    }
    const token = BearerKeys.tokenOf(request.headers.authorization);
    if (token === undefined) {
      throw new SigSocketError(ErrorCode.Unauthorized, 'an API key is required: Authorization: Bearer <key>');
    }
    const name = this.keys.nameOf(token);
    const caller = name === undefined ? undefined : this.callers.get(name);
    if (caller === undefined) throw new SigSocketError(ErrorCode.Unauthorized, 'the API key is not valid');
    setCaller(request, caller);
    return true;
  }
}
