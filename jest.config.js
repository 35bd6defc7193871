/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
  },
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // The stress suites run the server as its own process for minutes: `npm run test:stress`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/stress/'],
  testTimeout: 30000,
  // bn.js (under elliptic) deoptimises badly when Math comes from the sandbox realm.
  sandboxInjectedGlobals: ['Math'],
};
