import { ApiProperty } from '@nestjs/swagger';
import type { ErrorBody } from '../common/error-body.interface.js';
import { ErrorCode } from '../protocol/error-codes.js';

/** The documented shape of every HTTP error body. */
export class ErrorResponseDto implements ErrorBody {
  @ApiProperty({ type: 'integer', example: 404 })
  statusCode!: number;

  @ApiProperty({ enum: Object.values(ErrorCode), enumName: 'ErrorCode', example: ErrorCode.NotConnected })
  error!: ErrorCode;

  @ApiProperty({ example: 'no holder is connected for that key' })
  message!: string;
}
