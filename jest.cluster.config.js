import { base } from './jest.config.js';

/** `npm run test:cluster`: several server processes sharing a real Redis; not part of `npm test`. */
export default {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
