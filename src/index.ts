import 'reflect-metadata';

export { SigSocketModule } from './sigsocket.module.js';
export * from './sigsocket-options.interface.js';
export { SIGSOCKET_OPTIONS, SIGSOCKET_WS_PATH } from './sigsocket.constants.js';
export { SigningService } from './signing/signing.service.js';
export type { SignOptions, SignResult } from './signing/sign-result.interface.js';
export { RegistryService } from './registry/registry.service.js';
export { SignatureVerifierService } from './verification/signature-verifier.service.js';
export { SigSocketWsAdapter } from './gateway/sigsocket-ws.adapter.js';
export { SigSocketError } from './common/sigsocket.error.js';
export { SigSocketExceptionFilter } from './common/sigsocket-exception.filter.js';
export { ErrorCode } from './protocol/error-codes.js';
export { CloseCode } from './protocol/close-codes.js';
export { createSigSocketApp } from './bootstrap.js';
export { loadEnvironment } from './config/load-environment.js';
