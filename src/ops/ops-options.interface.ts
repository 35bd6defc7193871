import type { ModuleMetadata } from '@nestjs/common';

/** Options of {@link SigSocketOpsModule.forRoot}. */
export interface SigSocketOpsModuleOptions {
  /**
   * The SigSocketModule import of the same app (the very object passed to the app's imports),
   * whose SigningService, RegistryService and SigSocketMetrics the operational routes read.
   */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** Mount `/health`, `/health/live` and `/health/ready`. Default true. */
  health?: boolean;
  /** Mount `/metrics`. Default true. */
  metrics?: boolean;
  /** Bearer token required by `/metrics`; empty or unset leaves it open. */
  metricsToken?: string;
  /** Add Node process metrics (CPU, memory, event loop, GC) to the registry. Default true. */
  processMetrics?: boolean;
}

export type ResolvedSigSocketOpsOptions = Required<Omit<SigSocketOpsModuleOptions, 'imports'>>;
