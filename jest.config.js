/** What every suite shares; jest.stress.config.js builds on it too. */
export const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
  },
  roots: ['<rootDir>/src', '<rootDir>/test'],
  // bn.js (under elliptic) deoptimises badly when Math comes from the sandbox realm.
  sandboxInjectedGlobals: ['Math'],
};

/** Suites too slow for `npm test`; each has its own script (`npm run test:<name>`) and runs in .ci/run. */
const SLOW = {
  chaos: '<rootDir>/test/chaos.e2e-spec.ts',
  browser: '<rootDir>/test/browser-demo.e2e-spec.ts',
  pack: '<rootDir>/test/pack.e2e-spec.ts',
  readme: '<rootDir>/test/try-it.readme-spec.ts',
};

const asPattern = (path) => `${path.replaceAll('.', '\\.')}$`;

/** @type {import('jest').Config} */
export default {
  testTimeout: 30000,
  // Most e2e suites spend their time waiting on sockets and timers, so two workers halve the wall
  // time even on two cores (about 80 s against 185 s in one).
  maxWorkers: 2,
  // Each worker's heap grows by what every suite it ran leaves behind (near 1 GiB by the end), and
  // a worker that large did not exit within Jest's 500 ms at the end of the run, so Jest killed it:
  // in 6 of 6 full runs without a limit, in 1 of 5 with 512 MB. It follows the number of suites a
  // worker ran, not any one suite. A worker past this after a suite is replaced.
  workerIdleMemoryLimit: '384MB',
  projects: [
    {
      ...base,
      displayName: 'default',
      testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
      // The stress suites run the server as its own process for minutes: `npm run test:stress`.
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/stress/',
        ...Object.values(SLOW).map(asPattern),
      ],
    },
    ...Object.entries(SLOW).map(([name, path]) => ({ ...base, displayName: name, testMatch: [path] })),
  ],
};
