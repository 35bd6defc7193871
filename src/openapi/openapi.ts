import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { createRequire } from 'node:module';
import { API_KEY_SECURITY, METRICS_SECURITY } from './openapi.constants.js';

/** Swagger UI is served here, and the document at `/docs-json`. */
export const OPENAPI_PATH = 'docs';

const require = createRequire(import.meta.url);

function packageVersion(): string {
  const manifest = require('../../package.json') as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

/** The OpenAPI 3 description of every controller the app has mounted. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('SigSocket')
    .setDescription(
      'Relay that gets messages signed by key holders connected over WebSocket at /ws, and verifies every signature.',
    )
    .setVersion(packageVersion())
    // Plain bearer strings, not JWTs: addSecurity, because addBearerAuth adds `bearerFormat: JWT`.
    .addSecurity(API_KEY_SECURITY, {
      type: 'http',
      scheme: 'bearer',
      description: 'A secret from API_KEYS. Needed only when API_KEYS is set.',
    })
    .addSecurity(METRICS_SECURITY, {
      type: 'http',
      scheme: 'bearer',
      description: 'The METRICS_TOKEN. Needed only when METRICS_TOKEN is set.',
    })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves Swagger UI at `/docs` and the JSON document at `/docs-json`, on either HTTP adapter. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_PATH, app, () => buildOpenApiDocument(app), { raw: ['json'] });
}
