export * from './metrics-sources.binder.js';
export * from './metrics-token.guard.js';
export * from './metrics.constants.js';
export * from './metrics.controller.js';
export * from './sigsocket-metrics.service.js';
