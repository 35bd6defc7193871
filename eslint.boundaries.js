// The dependency rules of docs/architecture.md, enforced by `npm run lint`. A unit test lints a
// fixture that breaks each rule (test/lint-boundaries.spec.ts).
import { builtinModules } from 'node:module';

const PORTABLE = 'protocol/ and client/ also run in browsers: no Nest, no Node-only API.';
const NODE_MODULES = ['node:*', ...builtinModules.flatMap((name) => [name, `${name}/*`])];

export const boundaries = [
  {
    files: ['src/protocol/**/*.ts', 'src/client/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], message: PORTABLE },
            { group: NODE_MODULES, message: PORTABLE },
            { group: ['ws'], message: PORTABLE },
          ],
        },
      ],
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
    files: ['src/gateway/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/http/*', '**/http'], message: 'gateway/ and http/ never import each other.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/gateway/*', '**/gateway'], message: 'gateway/ and http/ never import each other.' },
          ],
        },
      ],
    },
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
