import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ANONYMOUS_CALLER } from '../common/api-keys.js';

const CALLER = Symbol('sigsocket.caller');
const SHOWN = Symbol('sigsocket.caller-shown');

type WithCaller = Record<typeof CALLER, string | undefined> & Record<typeof SHOWN, boolean | undefined>;

/**
 * Records who made a request: the matched API key's name, or `anonymous`; `shown` when holders
 * may be told the name (an explicit `name=` entry).
 */
export function setCaller(request: object, name: string, shown = false): void {
  (request as WithCaller)[CALLER] = name;
  (request as WithCaller)[SHOWN] = shown;
}

/** Whether holders may be shown the caller's name that {@link Caller} gives. */
export const CallerShown = createParamDecorator(
  (_data: unknown, context: ExecutionContext): boolean =>
    context.switchToHttp().getRequest<WithCaller>()[SHOWN] === true,
);

/** The caller's name that {@link ApiKeyGuard} resolved for this request. */
export const Caller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<WithCaller>()[CALLER] ?? ANONYMOUS_CALLER,
);
