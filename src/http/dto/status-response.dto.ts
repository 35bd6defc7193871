import type { VerifierBackendName } from '../../sigsocket-options.interface.js';

/** Body of `GET /status`. */
export class StatusResponseDto {
  connections!: number;
  pending!: number;
  uptimeSeconds!: number;
  verifier!: VerifierBackendName;
  lowS!: boolean;
}
