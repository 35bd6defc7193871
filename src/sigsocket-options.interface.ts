import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import type { SigSocketModuleOptions } from './config/module-options.js';
import type { VerifierName } from './config/variables.js';

export type { ResolvedSigSocketOptions, SigSocketModuleOptions } from './config/module-options.js';
export { resolveOptions } from './config/module-options.js';

export type VerifierBackendName = VerifierName;

/** Static switches that decide which controllers the module registers. */
export interface SigSocketModuleExtras {
  /** Mount `POST /sign`, `GET /status` and `GET /connected/:publicKey`. Default true. */
  http?: boolean;
}

export interface SigSocketModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'>, SigSocketModuleExtras {
  useFactory: (...args: never[]) => SigSocketModuleOptions | Promise<SigSocketModuleOptions>;
  inject?: FactoryProvider['inject'];
}
