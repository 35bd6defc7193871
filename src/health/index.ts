export * from './health.controller.js';
export * from './relay.health.js';
