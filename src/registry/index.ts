export type * from './holder-connection.interface.js';
export * from './registry.service.js';
