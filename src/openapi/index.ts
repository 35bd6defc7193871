export * from './api-error-responses.decorator.js';
export * from './error-response.dto.js';
export * from './openapi.js';
