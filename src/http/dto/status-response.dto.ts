import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { VerifierBackendName } from '../../sigsocket-options.interface.js';

const VERIFIER_NAMES: VerifierBackendName[] = ['native', 'elliptic'];

/** Holders connected to this server, by the protocol they speak. */
export class HolderCountsDto {
  @ApiProperty({ type: 'integer', description: 'Holders speaking protocol v1' })
  v1!: number;
  @ApiProperty({ type: 'integer', description: 'Holders speaking protocol v2' })
  v2!: number;
}

/** The shared store's state, in cluster mode. */
export class ClusterStatusDto {
  @ApiProperty({ enum: ['up', 'down'], description: 'Whether this instance reaches Redis' })
  redis!: 'up' | 'down';
}

/** Body of `GET /status`. */
export class StatusResponseDto {
  @ApiProperty({
    type: 'integer',
    description: 'Connected key holders; in cluster mode, on every live instance',
  })
  connections!: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Live instances; in cluster mode only' })
  instances?: number;
  @ApiPropertyOptional({ type: ClusterStatusDto, description: 'In cluster mode only' })
  cluster?: ClusterStatusDto;
  @ApiProperty({
    type: 'integer',
    description: 'Sign requests waiting for a holder, from callers of this server',
  })
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
