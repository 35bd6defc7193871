export type * from './sign-result.interface.js';
export * from './signing.service.js';
