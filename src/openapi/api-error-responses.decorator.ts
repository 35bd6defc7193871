import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { httpStatusOf } from '../common/error-status.js';
import type { ErrorCode } from '../protocol/error-codes.js';
import { ErrorResponseDto } from './error-response.dto.js';

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
