import { ApiProperty } from '@nestjs/swagger';
import type { VerifierBackendName } from '../../sigsocket-options.interface.js';

const VERIFIER_NAMES: VerifierBackendName[] = ['native', 'elliptic'];

/** Holders connected to this server, by the protocol they speak. */
export class HolderCountsDto {
  @ApiProperty({ type: 'integer', description: 'Holders speaking protocol v1' })
  v1!: number;
  @ApiProperty({ type: 'integer', description: 'Holders speaking protocol v2' })
  v2!: number;
}

/** Body of `GET /status`. */
export class StatusResponseDto {
  @ApiProperty({ type: 'integer', description: 'Connected key holders' })
  connections!: number;
  @ApiProperty({ type: 'integer', description: 'Sign requests waiting for a holder' })
  pending!: number;
  @ApiProperty({ type: 'integer' })
  uptimeSeconds!: number;
  @ApiProperty({ enum: VERIFIER_NAMES, description: 'Signature verification backend' })
  verifier!: VerifierBackendName;
  @ApiProperty({ description: 'Whether high-S signatures are rejected' })
  lowS!: boolean;
  @ApiProperty({
    type: HolderCountsDto,
    description: 'Holders connected to this server, by protocol version',
  })
  holders!: HolderCountsDto;
}
