// The dependency rules of docs/architecture.md, enforced by `npm run lint`. A unit test lints a
// fixture that breaks each rule (test/lint-boundaries.spec.ts).
import { builtinModules } from 'node:module';

const PORTABLE = 'protocol/ and client/ also run in browsers: no Nest, no Node-only API.';
const NODE_MODULES = ['node:*', ...builtinModules.flatMap((name) => [name, `${name}/*`])];
const APART = 'gateway/ and http/ never import each other.';
const OPS = 'ops/ (health, metrics endpoints) depends on the relay, never the other way.';

const forbid = (folders, message) => ({ group: folders.flatMap((f) => [`**/${f}/*`, `**/${f}`]), message });

/** Which imports each folder may not make. One entry per folder: flat config replaces, not merges. */
const FORBIDDEN_IMPORTS = {
  protocol: [
    { group: ['@nestjs/*'], message: PORTABLE },
    { group: NODE_MODULES, message: PORTABLE },
    { group: ['ws'], message: PORTABLE },
  ],
  gateway: [forbid(['http'], APART), forbid(['ops'], OPS)],
  http: [forbid(['gateway'], APART), forbid(['ops'], OPS)],
  ...Object.fromEntries(
    [
      'signing',
      'registry',
      'verification',
      'metrics',
      'common',
      'config',
      'logging',
      'connections',
      'demo',
    ].map((folder) => [folder, [forbid(['ops'], OPS)]]),
  ),
};
FORBIDDEN_IMPORTS.client = FORBIDDEN_IMPORTS.protocol;

export const boundaries = [
  ...Object.entries(FORBIDDEN_IMPORTS).map(([folder, patterns]) => ({
    files: [`src/${folder}/**/*.ts`],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
  {
    files: ['src/protocol/**/*.ts', 'src/client/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        {
          name: 'Buffer',
          message: `${PORTABLE} Use Uint8Array, or Buffer behind a feature check as base64.ts does.`,
        },
        { name: 'process', message: PORTABLE },
        { name: 'require', message: PORTABLE },
      ],
    },
  },
  {
    // The one place that may use Buffer: behind `typeof Buffer` with a browser fallback.
    files: ['src/protocol/base64.ts'],
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config/**', 'src/cli/holder.ts', '**/*.spec.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only config/ and the CLI entry point read process.env.',
        },
      ],
    },
  },
];
