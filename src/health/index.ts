export * from './health.controller.js';
export * from './relay.health.js';
export * from './shutdown-state.service.js';
