export * from './sigsocket-ws.adapter.js';
export * from './sigsocket.gateway.js';
