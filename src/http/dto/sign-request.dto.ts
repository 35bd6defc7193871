import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Min, ValidateBy } from 'class-validator';
import { API_EXAMPLES } from '../../openapi/openapi.constants.js';
import { isStandardBase64 } from '../../protocol/base64.js';

const IsStandardBase64 = (): PropertyDecorator =>
  ValidateBy({
    name: 'isStandardBase64',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isStandardBase64(value),
      defaultMessage: () => '$property must be standard base64',
    },
  });

/** Body of `POST /sign`. The upper bound of `timeoutMs` is configuration, checked by the service. */
export class SignRequestDto {
  @ApiProperty({
    description: 'SEC1 hex, compressed (02/03) or uncompressed (04), any letter case',
    example: API_EXAMPLES.publicKey,
  })
  @IsString()
  @IsNotEmpty()
  publicKey!: string;

  @ApiProperty({
    description: 'The bytes to sign, standard base64',
    format: 'byte',
    example: API_EXAMPLES.message,
  })
  @IsString()
  @IsStandardBase64()
  message!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    example: API_EXAMPLES.timeoutMs,
    description:
      "Wait at most this long; defaults to the server's SIGN_TIMEOUT_MS, capped by MAX_SIGN_TIMEOUT_MS",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  timeoutMs?: number;
}
