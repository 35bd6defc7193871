import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { boundaries } from '../eslint.boundaries.js';

/** Lints a fixture as if it stood at `filePath`, with only the dependency rules switched on. */
async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((message) => message.ruleId ?? message.message);
}

describe('npm run lint: the dependency rules', () => {
  it.each([
    [
      'src/protocol/fixture.ts',
      "import { Injectable } from '@nestjs/common';\nexport { Injectable };",
      'no-restricted-imports',
    ],
    [
      'src/client/fixture.ts',
      "import { createHash } from 'node:crypto';\nexport { createHash };",
      'no-restricted-imports',
    ],
    [
      'src/client/fixture.ts',
      "import { readFileSync } from 'fs';\nexport { readFileSync };",
      'no-restricted-imports',
    ],
    ['src/protocol/fixture.ts', "export const hex = Buffer.from('00', 'hex');", 'no-restricted-globals'],
    ['src/client/fixture.ts', 'export const home = process.env.HOME;', 'no-restricted-globals'],
    [
      'src/gateway/fixture.ts',
      "import { ApiKeyGuard } from '../http/api-key.guard.js';\nexport { ApiKeyGuard };",
      'no-restricted-imports',
    ],
    [
      'src/http/fixture.ts',
      "import { SigSocketGateway } from '../gateway/sigsocket.gateway.js';\nexport { SigSocketGateway };",
      'no-restricted-imports',
    ],
    [
      'src/signing/fixture.ts',
      'export const timeout = process.env.SIGN_TIMEOUT_MS;',
      'no-restricted-properties',
    ],
  ])('%s: refuses %p', async (filePath, code, rule) => {
    expect(await ruleIdsFor(filePath, code)).toContain(rule);
  });

  it.each([
    ['src/protocol/base64.ts', "export const has = typeof Buffer === 'function';"],
    ['src/config/fixture.ts', 'export const port = process.env.PORT;'],
    [
      'src/ops/fixture.ts',
      "import { SigningService } from '../signing/signing.service.js';\nexport { SigningService };",
    ],
    ['src/cli/holder.ts', 'export const key = process.env.SIGSOCKET_SECRET_KEY;'],
    ['src/gateway/fixture.ts', "import { randomBytes } from 'node:crypto';\nexport { randomBytes };"],
    [
      'src/protocol/fixture.ts',
      "import { hexToBytes } from '@noble/curves/utils.js';\nexport { hexToBytes };",
    ],
  ])('%s: allows %p', async (filePath, code) => {
    expect(await ruleIdsFor(filePath, code)).toEqual([]);
  });
});
