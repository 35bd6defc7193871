export * from './base64.js';
export * from './challenge.js';
export * from './close-codes.js';
export * from './error-codes.js';
export * from './holder-frame.js';
export * from './public-key.js';
export * from './signature-encoding.js';
