import { ApiProperty } from '@nestjs/swagger';
import { API_EXAMPLES } from '../../openapi/openapi.constants.js';

/** Body of a successful `POST /sign`. */
export class SignResponseDto {
  /** Compressed lower-case hex. */
  @ApiProperty({
    description: 'The key, compressed lower-case hex',
    pattern: '^0[23][0-9a-f]{64}$',
    example: API_EXAMPLES.publicKey,
  })
  publicKey!: string;
  /** Standard base64 of the signed bytes. */
  @ApiProperty({
    description: 'The signed bytes, standard base64',
    format: 'byte',
    example: API_EXAMPLES.message,
  })
  message!: string;
  /** The signature, base64, exactly as the holder sent it. */
  @ApiProperty({
    description: 'ECDSA over SHA-256(message): 64-byte compact or DER, base64, as the holder sent it',
    format: 'byte',
    example: API_EXAMPLES.signature,
  })
  signature!: string;
  /** The same signature as 64-byte compact r‖s with low S, base64. */
  @ApiProperty({
    description:
      'The same signature as 64-byte compact r‖s with low S (s ≤ n/2), base64, whatever encoding the holder used',
    format: 'byte',
    example: API_EXAMPLES.signature,
  })
  signatureCompact!: string;
}
