import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWithRequestId } from './request-context.js';
import { REQUEST_ID_HEADER, resolveRequestId } from './request-id.js';

/**
 * Gives every request an id: the caller's `X-Request-Id` when it is safe, otherwise a new one.
 * Nest hands middleware the Node request and response on both HTTP adapters. The resolved id is
 * written back into the request headers, so later stages read the validated value.
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  use(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void {
    assignRequestId(request, response, next);
  }
}

/** Gives one request its id and runs `next` in that id's scope. */
export function assignRequestId(
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const requestId = resolveRequestId(request.headers[REQUEST_ID_HEADER]);
  request.headers[REQUEST_ID_HEADER] = requestId;
  response.setHeader('X-Request-Id', requestId);
  runWithRequestId(requestId, next);
}
