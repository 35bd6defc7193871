import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { SignatureVerifierService } from '../src/verification/signature-verifier.service.js';
import {
  documentedExamples,
  documentedRequest,
  duplicateParameters,
  openApi3Errors,
  operations,
  PublishedSchemas,
  responseExample,
  type DocumentedRequest,
  type OpenApiDocument,
} from './support/openapi-document.js';
import { ADAPTERS, useTestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';

/**
 * The checked-in document, docs/openapi.json: fresh, valid OpenAPI 3.0, and true to the server.
 * test/openapi.e2e-spec.ts checks the served document against real answers.
 */
const CHECKED_IN = JSON.parse(
  readFileSync(join(process.cwd(), 'docs/openapi.json'), 'utf8'),
) as OpenApiDocument;
const run = promisify(execFile);

function withoutHealthResponses(document: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(document);
  for (const [path, methods] of Object.entries(copy.paths)) {
    if (path.startsWith('/health')) for (const operation of Object.values(methods)) operation.responses = {};
  }
  return copy;
}

const API_KEY = 'openapi-e2e-api-key';
const METRICS_TOKEN = 'openapi-e2e-metrics-token';
/** What the test presents for each security scheme the document may name. */
const CREDENTIALS: Record<string, string> = { 'api-key': API_KEY, metrics: METRICS_TOKEN };
/** The secret of the documented example key (see src/openapi/openapi.constants.ts). */
const EXAMPLE_SECRET = Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 1 : 0));

describe('docs/openapi.json', () => {
  it('is the document the built server publishes (regenerate it with npm run docs:openapi)', async () => {
    const script = join(process.cwd(), 'scripts/write-openapi.mjs');
    const { stdout } = await run(process.execPath, [script, '--print'], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual(CHECKED_IN);
  });

  it('is valid OpenAPI 3.0 and lists each parameter once', () => {
    expect(openApi3Errors(CHECKED_IN)).toEqual([]);
    expect(duplicateParameters(CHECKED_IN)).toEqual([]);
    expect(openApi3Errors({ ...CHECKED_IN, paths: { '/x': { get: { responses: 1 } } } })).not.toEqual([]);
  });
});

describe.each(ADAPTERS)('the documented contract, with API_KEYS and METRICS_TOKEN set, on %s', (adapter) => {
  const t = useTestApp(adapter, { API_KEYS: API_KEY, METRICS_TOKEN });
  const document = CHECKED_IN;
  const schemas = new PublishedSchemas(document);

  /** A holder of the documented example key; it answers after `delayMs`, as a person would later. */
  async function exampleKeyHolder(delayMs = 0): Promise<TestHolder> {
    const holder = t.track(new TestHolder(t.ws, { secretKey: EXAMPLE_SECRET }));
    holder.responder = (frame) => {
      const signature = holder.signature(Buffer.from(frame, 'base64')).toString('base64');
      setTimeout(() => holder.send(`${frame}.${signature}`), delayMs);
      return undefined;
    };
    await holder.open();
    holder.send(holder.publicKey);
    await holder.proven();
    return holder;
  }

  function send(method: string, documented: DocumentedRequest, credentials = true): request.Test {
    const call = request(t.http)[method as 'get' | 'post'](documented.path).set(documented.headers);
    const scheme = documented.security[0];
    if (credentials && scheme !== undefined) call.set('Authorization', `Bearer ${CREDENTIALS[scheme]}`);
    return documented.body === undefined ? call : call.send(documented.body);
  }

  it('serves the checked-in document', async () => {
    const served = (await request(t.http).get('/docs-json').expect(200)).body as OpenApiDocument;
    // @nestjs/terminus documents the health responses only where `require` can load
    // @nestjs/swagger, which Jest's ESM runtime cannot; the built server has them (test above).
    expect(withoutHealthResponses(served)).toEqual(withoutHealthResponses(document));
  });

  it('declares the credentials of every route that asks for them, as plain bearer strings', async () => {
    for (const { path, method } of operations(document)) {
      const documented = documentedRequest(document, path, method, false);
      const anonymous = await send(method, documented, false);
      const declared = documented.security;
      expect({ route: `${method} ${path}`, status: anonymous.status, declared }).not.toMatchObject({
        status: 401,
        declared: [],
      });
      for (const name of declared) {
        expect(Object.keys(CREDENTIALS)).toContain(name);
        expect(document.components.securitySchemes?.[name]).toEqual({
          type: 'http',
          scheme: 'bearer',
          description: expect.any(String) as string,
        });
      }
    }
  });

  it('answers a request that sends only what the document marks as required, on every route', async () => {
    await exampleKeyHolder();
    for (const { path, method, operation } of operations(document)) {
      const response = await send(method, documentedRequest(document, path, method, false));
      expect({ route: `${method} ${path}`, status: response.status }).toEqual({
        route: `${method} ${path}`,
        status: 200,
      });
      if (operation.responses['200']?.content?.['application/json'])
        schemas.expectValid(path, method, response);
    }
  });

  it('accepts every documented example: requests built from them succeed, and each fits its schema', async () => {
    const holder = await exampleKeyHolder(50);
    const verifier = t.app.get(SignatureVerifierService);
    for (const { path, method } of operations(document)) {
      const documented = documentedRequest(document, path, method, true);
      const response = await send(method, documented);
      expect({ route: `${method} ${path}`, status: response.status }).toEqual({
        route: `${method} ${path}`,
        status: 200,
      });
      const requestId = documented.headers['X-Request-Id'];
      if (requestId !== undefined) expect(response.headers['x-request-id']).toBe(requestId);
    }
    const signed = await send('post', documentedRequest(document, '/sign', 'post', true)).expect(200);
    const shown = responseExample(document, '/sign', 'post', 200);
    for (const answer of [signed.body as Record<string, string>, shown as Record<string, string>]) {
      const { publicKey, message, signature } = answer;
      expect(publicKey).toBe(holder.publicKey);
      const [bytes, sig, key] = [message, signature]
        .map((b64) => Buffer.from(b64, 'base64'))
        .concat(Buffer.from(publicKey, 'hex'));
      expect(verifier.verify(bytes, sig, key)).toBe(true);
    }
    const misfits = documentedExamples(document).filter(
      ({ example, schema }) => !schemas.compile(schema)(example),
    );
    expect(misfits.map(({ pointer, example }) => ({ pointer, example }))).toEqual([]);
    expect(documentedExamples(document).length).toBeGreaterThan(0);
  });
});
