export * from './request-context.js';
export * from './request-context.module.js';
export * from './request-id.js';
export * from './request-id.middleware.js';
export * from './sigsocket-logger.js';
