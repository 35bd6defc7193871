export * from './operational-endpoint.decorator.js';
export * from './ops-exception.filter.js';
export type * from './ops-options.interface.js';
export * from './ops.constants.js';
export * from './sigsocket-ops.module.js';
