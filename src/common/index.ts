export * from './error-body.interface.js';
export * from './error-status.js';
export * from './sigsocket-exception.filter.js';
export * from './sigsocket.error.js';
