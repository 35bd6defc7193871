// Writes the OpenAPI document of the standalone server to docs/openapi.json, formatted as the
// repository's Prettier settings want it; `--print` writes it to stdout instead. Runs the built
// code: `npm run docs:openapi` builds first. test/openapi-document.e2e-spec.ts fails while the file differs.
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { createSigSocketApp } from '../dist/bootstrap.js';
import { loadEnvironment } from '../dist/config/load-environment.js';
import { buildOpenApiDocument } from '../dist/openapi/openapi.js';

const target = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));

// Defaults only: the document must not depend on the environment this script runs in.
const app = await createSigSocketApp(loadEnvironment({ LOG_LEVEL: 'error' }));
try {
  const document = buildOpenApiDocument(app);
  const options = (await prettier.resolveConfig(target)) ?? {};
  const text = await prettier.format(JSON.stringify(document, null, 2), { ...options, filepath: target });
  if (process.argv.includes('--print')) {
    process.stdout.write(text);
  } else {
    await writeFile(target, text);
    console.log(`wrote ${target}`);
  }
} finally {
  await app.close();
}
