import { base } from './jest.config.js';

/** `npm run test:stress`: the server as its own process under hostile load; not part of `npm test`. */
export default {
  ...base,
  roots: ['<rootDir>/test/stress'],
  testMatch: ['**/*.stress-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 180_000,
  maxWorkers: 1,
};
