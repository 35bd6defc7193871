import { ApiProperty } from '@nestjs/swagger';
import type { VerifierBackendName } from '../../sigsocket-options.interface.js';

const VERIFIER_NAMES: VerifierBackendName[] = ['native', 'elliptic'];

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
}
