export * from './connected-response.dto.js';
export * from './sign-request.dto.js';
export * from './sign-response.dto.js';
export * from './status-response.dto.js';
