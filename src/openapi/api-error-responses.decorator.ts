import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { httpStatusOf } from '../common/error-status.js';
import type { ErrorCode } from '../protocol/error-codes.js';
import { ErrorResponseDto } from './error-response.dto.js';

/** Messages the server gives for these codes, shown in the examples. */
const EXAMPLE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  invalid_request: 'message must be standard base64',
  unauthorized: 'an API key is required: Authorization: Bearer <key>',
  not_connected: 'no holder is connected for that key',
  invalid_signature: 'the holder answered with an invalid signature',
  too_many_pending: 'too many requests are pending for that key',
  shutting_down: 'the server is shutting down',
  timeout: 'no valid answer within 10000 ms',
  internal_error: 'internal error',
};

/**
 * Documents the error responses a route can give, one per HTTP status, each naming the exact
 * status and error codes it carries. The statuses come from the same mapping the filter uses.
 */
export function ApiErrorResponses(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses = [...byStatus].map(([status, statusCodes]) =>
    ApiResponse({
      status,
      description: `error: ${statusCodes.join(' | ')}`,
      example: {
        statusCode: status,
        error: statusCodes[0],
        message: EXAMPLE_MESSAGES[statusCodes[0]] ?? statusCodes[0].replaceAll('_', ' '),
      },
      schema: {
        allOf: [
          { $ref: getSchemaPath(ErrorResponseDto) },
          {
            type: 'object',
            properties: {
              statusCode: { type: 'integer', enum: [status] },
              error: { type: 'string', enum: statusCodes },
            },
          },
        ],
      },
    }),
  );
  return applyDecorators(ApiExtraModels(ErrorResponseDto), ...responses);
}
