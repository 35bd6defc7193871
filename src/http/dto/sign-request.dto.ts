import { IsInt, IsNotEmpty, IsOptional, IsString, Min, ValidateBy } from 'class-validator';
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
  @IsString()
  @IsNotEmpty()
  publicKey!: string;

  @IsString()
  @IsStandardBase64()
  message!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  timeoutMs?: number;
}
