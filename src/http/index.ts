export * from './api-key.guard.js';
export * from './dto/index.js';
export * from './dto-validation.pipe.js';
export * from './sigsocket.controller.js';
export * from './sigsocket-express.adapter.js';
