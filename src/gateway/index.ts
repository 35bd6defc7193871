export * from './sigsocket-ws.adapter.js';
export * from './sigsocket-lifecycle.service.js';
export * from './sigsocket.gateway.js';
