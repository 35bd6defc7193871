import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validateSync, ValidationError } from 'class-validator';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Validates a JSON body against its DTO class with class-validator, synchronously and without a
 * class-transformer pass. Undeclared properties are stripped. Failures are `invalid_request`.
 */
@Injectable()
export class DtoValidationPipe implements PipeTransform<unknown, object> {
  transform(value: unknown, metadata: ArgumentMetadata): object {
    const type = metadata.metatype;
    if (type === undefined || typeof type !== 'function') return value as object;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SigSocketError(ErrorCode.InvalidRequest, 'body must be a JSON object');
    }
    const dto = new (type as new () => Record<string, unknown>)();
    for (const [key, field] of Object.entries(value)) {
      if (!UNSAFE_KEYS.has(key)) dto[key] = field;
    }
    const errors = validateSync(dto, { whitelist: true, stopAtFirstError: true });
    if (errors.length > 0) throw new SigSocketError(ErrorCode.InvalidRequest, describe(errors));
    return dto;
  }
}

function describe(errors: ValidationError[]): string {
  return errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ');
}
