import type { ServerResponse } from 'node:http';
import type { ErrorBody } from '../common/error-body.interface.js';
import type { ErrorCode } from '../protocol/error-codes.js';

/**
 * Answers a request with the usual error body before it reaches the app, and closes its socket
 * after the answer.
 */
export function refuseRequest(
  response: ServerResponse,
  status: number,
  error: ErrorCode,
  message: string,
): void {
  const body: ErrorBody = { statusCode: status, error, message };
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
  response.end(JSON.stringify(body));
}
