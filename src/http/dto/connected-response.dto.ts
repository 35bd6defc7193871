import { ApiProperty } from '@nestjs/swagger';

/** Body of `GET /connected/{publicKey}`. */
export class ConnectedResponseDto {
  @ApiProperty({ description: 'Whether a holder for the key is connected to this server' })
  connected!: boolean;
}
