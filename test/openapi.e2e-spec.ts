import request from 'supertest';
import { PublishedSchemas, type OpenApiDocument } from './support/openapi-document.js';
import { ADAPTERS, startApp, TestApp } from './support/test-app.js';
import { HolderList, TestHolder } from './support/test-holder.js';
import { eventually } from './support/wait.js';

const MESSAGE = Buffer.from('openapi e2e').toString('base64');

describe.each(ADAPTERS)('OpenAPI on %s', (adapter) => {
  let t: TestApp;
  let schemas: PublishedSchemas;
  let document: OpenApiDocument;
  const holders = new HolderList();

  beforeEach(async () => {
    // A holder that disconnects fails its pending request at once, without a grace period.
    t = await startApp(adapter, { RECONNECT_GRACE_MS: '0' });
    const response = await request(t.http).get('/docs-json').expect(200);
    document = response.body as OpenApiDocument;
    schemas = new PublishedSchemas(document);
  });

  afterEach(async () => {
    await holders.closeAll();
    await t.close();
  });

  it('publishes OpenAPI 3 with every route and the error statuses of the contract', async () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/sign',
        '/status',
        '/connected/{publicKey}',
        '/health',
        '/health/live',
        '/metrics',
      ]),
    );
    expect(Object.keys(document.paths['/sign']?.post?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '422',
      '429',
      '500',
      '502',
      '503',
      '504',
    ]);
    const ui = await request(t.http).get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('describes real /sign answers: 200, 400, 404, 502 and 504', async () => {
    const signer = await holders.register(t.ws);
    const forger = await holders.register(t.ws, 'wrong-key');
    const silent = await holders.register(t.ws, 'silent');
    const sign = (body: object) => request(t.http).post('/sign').send(body);
    const cases: [object, number][] = [
      [{ publicKey: signer.publicKey, message: MESSAGE }, 200],
      [{ publicKey: signer.publicKey, message: 'not base64!' }, 400],
      [{ publicKey: TestHolder.absentKey(), message: MESSAGE }, 404],
      [{ publicKey: forger.publicKey, message: MESSAGE }, 502],
      [{ publicKey: silent.publicKey, message: MESSAGE, timeoutMs: 50 }, 504],
    ];
    for (const [body, status] of cases) {
      const response = await sign(body);
      expect(response.status).toBe(status);
      schemas.expectValid('/sign', 'post', response);
    }
  });

  it('describes a 502 for a holder that disconnects before answering', async () => {
    const silent = await holders.register(t.ws, 'silent');
    const pending = request(t.http)
      .post('/sign')
      .send({ publicKey: silent.publicKey, message: MESSAGE, timeoutMs: 5_000 })
      .then((response) => response);
    await eventually(() => silent.received.length > 0, 5000, 'the request to reach the holder');
    await silent.close();
    const response = await pending;
    expect(response.status).toBe(502);
    expect((response.body as { error: string }).error).toBe('client_disconnected');
    schemas.expectValid('/sign', 'post', response);
  });

  it('describes real /status and /connected answers', async () => {
    const signer = await holders.register(t.ws);
    schemas.expectValid('/status', 'get', await request(t.http).get('/status').expect(200));
    for (const [key, status] of [
      [signer.publicKey, 200],
      [TestHolder.absentKey(), 200],
      ['not-a-key', 400],
    ] as const) {
      const response = await request(t.http).get(`/connected/${key}`);
      expect(response.status).toBe(status);
      schemas.expectValid('/connected/{publicKey}', 'get', response);
    }
  });

  it('rejects a body that breaks the published schema, so the check can fail', () => {
    const validate = schemas.validator('/sign', 'post', 404);
    expect(validate({ statusCode: 404, error: 'timeout', message: 'x' })).toBe(false);
    expect(validate({ statusCode: 404, error: 'not_connected', message: 'x', extra: 1 })).toBe(false);
    expect(validate({ statusCode: 404, error: 'not_connected', message: 'x' })).toBe(true);
  });
});
