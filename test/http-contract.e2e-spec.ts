import request from 'supertest';
import { ADAPTERS, startApp, TestApp } from './support/test-app.js';
import { TestHolder, uncompressed } from './support/test-holder.js';
import { eventually, within } from './support/wait.js';

const MAX_TIMEOUT = 5000;

describe.each(ADAPTERS)('HTTP contract on %s', (adapter) => {
  let t: TestApp;
  let holder: TestHolder;

  beforeAll(async () => {
    t = await startApp(adapter, { SIGN_TIMEOUT_MS: '2000', MAX_SIGN_TIMEOUT_MS: String(MAX_TIMEOUT) });
    holder = await TestHolder.connect(t.ws);
    await eventually(() => t.signing.isConnected(holder.publicKey), 3000, 'holder');
  });
  afterEach(async () => {
    holder.answer = 'compact';
    await eventually(() => t.signing.pendingCount() === 0, 3000, 'no pending requests');
  });
  afterAll(async () => {
    await holder.close();
    await t.close();
  });

  const post = (body: unknown): request.Test =>
    request(t.http)
      .post('/sign')
      .send(body as object);
  const expectError = (res: request.Response, status: number, error: string): void => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ statusCode: status, error, message: expect.any(String) as string });
  };

  it('POST /sign answers 200, not 201, with the normalised key', async () => {
    const res = await post({ publicKey: uncompressed(holder).toUpperCase(), message: 'AAEC' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ publicKey: holder.publicKey, message: 'AAEC' });
  });

  describe('400 invalid_request', () => {
    it.each([
      ['not JSON', '{"publicKey":', 'application/json'],
      ['a JSON string', '"hello"', 'application/json'],
      ['a JSON array', '[1,2]', 'application/json'],
      ['JSON null', 'null', 'application/json'],
    ])('for a body that is %s', async (_, body, type) => {
      expectError(
        await request(t.http).post('/sign').set('content-type', type).send(body),
        400,
        'invalid_request',
      );
    });

    it.each([
      ['no fields', {}],
      ['a missing message', { publicKey: '02'.padEnd(66, '1') }],
      ['a numeric publicKey', { publicKey: 2, message: 'AA==' }],
      ['an array message', { publicKey: 'x', message: ['AA=='] }],
      ['an invalid key', { publicKey: 'zz', message: 'AA==' }],
      ['a key off the curve', { publicKey: `04${'00'.repeat(64)}`, message: 'AA==' }],
      ['url-safe base64', { message: '-_8=' }],
      ['unpadded base64', { message: 'AAE' }],
      ['timeoutMs 0', { message: 'AA==', timeoutMs: 0 }],
      ['timeoutMs above the maximum', { message: 'AA==', timeoutMs: MAX_TIMEOUT + 1 }],
      ['a fractional timeoutMs', { message: 'AA==', timeoutMs: 1.5 }],
      ['a string timeoutMs', { message: 'AA==', timeoutMs: '100' }],
    ])('for %s', async (_, body) => {
      expectError(await post({ publicKey: holder.publicKey, ...body }), 400, 'invalid_request');
    });
  });

  it('415 unsupported_media_type for a body that is not JSON', async () => {
    expectError(
      await request(t.http).post('/sign').set('content-type', 'text/plain').send('hello'),
      415,
      'unsupported_media_type',
    );
  });

  it('404 not_connected for a valid key with no holder', async () => {
    expectError(await post({ publicKey: TestHolder.absentKey(), message: 'AA==' }), 404, 'not_connected');
  });

  it('502 invalid_signature at once, without waiting for the timeout', async () => {
    holder.answer = 'wrong-key';
    const res = await within(
      post({ publicKey: holder.publicKey, message: 'AA==', timeoutMs: MAX_TIMEOUT }),
      1500,
      '502',
    );
    expectError(res, 502, 'invalid_signature');
  });

  it('504 timeout when no valid answer arrives', async () => {
    holder.answer = 'silent';
    expectError(await post({ publicKey: holder.publicKey, message: 'AA==', timeoutMs: 50 }), 504, 'timeout');
  });

  it('404 not_found as JSON for an unknown route', async () => {
    expectError(await request(t.http).get('/nope'), 404, 'not_found');
  });

  it('GET /status reports connections, pending, uptime, the verifier and holders by protocol', async () => {
    const res = await request(t.http).get('/status').expect(200);
    expect(res.body).toEqual({
      connections: 1,
      pending: 0,
      uptimeSeconds: expect.any(Number) as number,
      verifier: 'native',
      lowS: false,
      holders: { v1: 1, v2: 0 },
    });
  });

  it('GET /connected/{publicKey} answers for any valid form and 400 for an invalid key', async () => {
    for (const form of [holder.publicKey, uncompressed(holder), holder.publicKey.toUpperCase()]) {
      expect((await request(t.http).get(`/connected/${form}`).expect(200)).body).toEqual({ connected: true });
    }
    const other = `02${'79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'}`;
    expect((await request(t.http).get(`/connected/${other}`).expect(200)).body).toEqual({ connected: false });
    expectError(await request(t.http).get('/connected/not-a-key'), 400, 'invalid_request');
  });
});
