export * from './elliptic-verifier.backend.js';
export * from './native-verifier.backend.js';
export * from './signature-verifier.service.js';
export type * from './verifier-backend.interface.js';
