import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ANONYMOUS_CALLER } from '../common/api-keys.js';
import { httpRequestOf } from './http-context.js';

const CALLER = Symbol('sigsocket.caller');

/** Who made a request, as {@link ApiKeyGuard} resolved it. */
export interface RequestCaller {
  /** The matched API key's name, or `anonymous`. */
  readonly name: string;
  /** Whether holders may be shown the name (an explicit `name=` entry). */
  readonly shown: boolean;
}

export const ANONYMOUS: RequestCaller = Object.freeze({ name: ANONYMOUS_CALLER, shown: false });

type WithCaller = Record<typeof CALLER, RequestCaller | undefined>;

/** Records who made a request; callers are made once per API key, not per request. */
export function setCaller(request: object, caller: RequestCaller): void {
  (request as WithCaller)[CALLER] = caller;
}

/** Whether {@link setCaller} has run for this request. */
export function hasCaller(request: object): boolean {
  return (request as WithCaller)[CALLER] !== undefined;
}

/** The {@link RequestCaller} that {@link ApiKeyGuard} resolved for this request. */
export const Caller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestCaller =>
    httpRequestOf<WithCaller>(context)[CALLER] ?? ANONYMOUS,
);
