import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ANONYMOUS_CALLER } from '../common/api-keys.js';

const CALLER = Symbol('sigsocket.caller');

type WithCaller = Record<typeof CALLER, string | undefined>;

/** Records who made a request: the matched API key's name, or `anonymous`. */
export function setCaller(request: object, name: string): void {
  (request as WithCaller)[CALLER] = name;
}

/** The caller's name that {@link ApiKeyGuard} resolved for this request. */
export const Caller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<WithCaller>()[CALLER] ?? ANONYMOUS_CALLER,
);
