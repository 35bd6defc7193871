import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { ErrorBody } from '../common/error-body.interface.js';
import { ErrorCode } from '../protocol/error-codes.js';

const logger = new Logger('FastifyFrameworkErrors');

/**
 * Fastify's router answers a malformed URL (`FST_ERR_BAD_URL`) or an over-long path parameter
 * (`FST_ERR_MAX_PARAM_LENGTH`) before any Nest filter runs, with its own body that echoes the URL.
 * This answers them with the usual error body instead, without the URL: 400 `invalid_request`,
 * as Express answers the same URLs. It writes to the Node response, as Fastify does for these.
 */
export function replyToFrameworkError(
  error: { code?: string },
  _request: unknown,
  reply: { raw: ServerResponse },
): void {
  const body = bodyFor(error.code);
  const json = JSON.stringify(body);
  reply.raw.writeHead(body.statusCode, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  reply.raw.end(json);
}

function bodyFor(code: string | undefined): ErrorBody {
  if (code === 'FST_ERR_BAD_URL') {
    return { statusCode: 400, error: ErrorCode.InvalidRequest, message: 'the URL is not valid' };
  }
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return { statusCode: 400, error: ErrorCode.InvalidRequest, message: 'a path parameter is too long' };
  }
  logger.error(`unexpected router error ${code ?? 'without a code'}`);
  return { statusCode: 500, error: ErrorCode.Internal, message: 'internal error' };
}
