import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { ADAPTERS, useTestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { within } from './support/wait.js';

const API_KEY = 'k'.repeat(24);
const auth = { Authorization: `Bearer ${API_KEY}` };
/** Above the body limit for MAX_MESSAGE_BYTES=1024. */
const HUGE = 'x'.repeat(20_000);

interface Answer {
  status: number;
  body: unknown;
  connection?: string;
}

/** A POST with exactly these headers and bytes (supertest sets a Content-Type, and encodes). */
function postRaw(
  base: string,
  headers: Record<string, string>,
  body: Buffer | string,
  path = '/sign',
): Promise<Answer> {
  const answered = new Promise<Answer>((resolve, reject) => {
    const all = { ...headers, 'Content-Length': String(Buffer.byteLength(body)) };
    const req = httpRequest(new URL(path, base), { method: 'POST', headers: all }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(text) as unknown,
          connection: res.headers.connection,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
  return within(answered, 3000, 'the answer to a POST');
}

interface Attempt {
  headers: Record<string, string>;
  body: string;
}

describe.each(ADAPTERS)('cross-site requests on %s', (adapter) => {
  const t = useTestApp(adapter, {
    API_KEYS: API_KEY,
    ALLOWED_ORIGINS: 'https://app.example',
    MAX_MESSAGE_BYTES: '1024',
  });
  let holder: TestHolder;

  beforeAll(async () => {
    holder = await TestHolder.registered(t.ws);
  });
  afterAll(async () => {
    await holder.close();
  });

  const post = ({ headers, body }: Attempt): Promise<request.Response> =>
    request(t.http)
      .post('/sign')
      .set(headers)
      .send(body)
      .then((res) => res);
  const json = (): string => JSON.stringify({ publicKey: holder.publicKey, message: 'AAEC' });
  const expectError = (res: request.Response, status: number, error: string): void => {
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ statusCode: status, error, message: expect.any(String) as string });
  };

  it('refuses a form post, and every type but JSON, with 415 before anything is signed', async () => {
    const received = holder.received.length;
    const form = `publicKey=${holder.publicKey}&message=AAEC`;
    for (const type of [
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/plain',
      'application/merge-patch+json',
    ]) {
      expectError(
        await post({ headers: { ...auth, 'Content-Type': type }, body: form }),
        415,
        'unsupported_media_type',
      );
    }
    const untyped = await postRaw(t.http, auth, json());
    expect(untyped).toMatchObject({
      status: 415,
      body: { statusCode: 415, error: 'unsupported_media_type' },
    });
    expect(holder.received).toHaveLength(received);
  });

  it('takes application/json with any charset', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON;charset=UTF-8',
    ]) {
      const res = await post({ headers: { ...auth, 'Content-Type': type }, body: json() });
      expect(res.status).toBe(200);
    }
  });

  it('answers 403 forbidden_origin on every route to a cross-site request', async () => {
    const received = holder.received.length;
    const crossSite = { ...auth, 'Sec-Fetch-Site': 'cross-site' };
    expectError(
      await post({ headers: { ...crossSite, 'Content-Type': 'application/json' }, body: json() }),
      403,
      'forbidden_origin',
    );
    expectError(await request(t.http).get('/status').set(crossSite), 403, 'forbidden_origin');
    expectError(
      await request(t.http).get(`/connected/${holder.publicKey}`).set(crossSite),
      403,
      'forbidden_origin',
    );
    for (const site of ['same-origin', 'same-site', 'none']) {
      await request(t.http)
        .get('/status')
        .set({ ...auth, 'Sec-Fetch-Site': site })
        .expect(200);
    }
    expect(holder.received).toHaveLength(received);
  });

  it('answers 403 forbidden_origin to an Origin outside ALLOWED_ORIGINS', async () => {
    const from = (origin: string): Attempt => ({
      headers: { ...auth, Origin: origin, 'Content-Type': 'application/json' },
      body: json(),
    });
    expectError(await post(from('https://evil.example')), 403, 'forbidden_origin');
    expectError(await post(from('null')), 403, 'forbidden_origin');
    expect((await post(from('https://app.example'))).status).toBe(200);
  });

  it('reads a body with a content encoding, after the same checks', async () => {
    const gzipped = (text: string): Buffer => gzipSync(Buffer.from(text));
    const encoded = (headers: Record<string, string>, body: Buffer): Promise<Answer> =>
      postRaw(t.http, { 'Content-Type': 'application/json', ...headers }, body);
    const gzip = { 'Content-Encoding': 'gzip' };
    expect((await encoded({ ...auth, ...gzip }, gzipped(json()))).status).toBe(200);
    const huge = gzipped(`{${HUGE}`);
    expect(await encoded(gzip, huge)).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect(await encoded({ ...auth, ...gzip }, huge)).toMatchObject({
      status: 413,
      body: { error: 'message_too_large' },
    });
    expect(await encoded({ ...auth, ...gzip }, Buffer.from('{}'))).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect(await encoded({ ...auth, 'Content-Encoding': 'zz' }, Buffer.from(json()))).toMatchObject({
      status: 415,
      body: { error: 'unsupported_media_type' },
    });
    const notJson = await postRaw(t.http, { ...auth, ...gzip, 'Content-Type': 'text/plain' }, huge);
    expect(notJson).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
  });

  it('reads no body of another route, and keeps the connection after a body that is not JSON', async () => {
    const headers = { 'Content-Type': 'application/json' };
    for (const path of ['/nope', '/status', '/sign/x']) {
      expect(await postRaw(t.http, headers, '{"not json', path)).toMatchObject({
        status: 404,
        body: { error: 'not_found' },
      });
    }
    const bad = await postRaw(t.http, { ...auth, ...headers }, '{"publicKey":');
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(bad.connection).not.toBe('close');
  });

  it.each([
    [401, 'unauthorized', { 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'text/plain' }, HUGE],
    [401, 'unauthorized', { 'Content-Type': 'application/json' }, `{${HUGE}`],
    [
      403,
      'forbidden_origin',
      { ...auth, 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/json' },
      `{${HUGE}`,
    ],
    [
      403,
      'forbidden_origin',
      { ...auth, 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'text/plain' },
      HUGE,
    ],
    [415, 'unsupported_media_type', { ...auth, 'Content-Type': 'text/plain' }, `{${HUGE}`],
    [413, 'message_too_large', { ...auth, 'Content-Type': 'application/json' }, `{${HUGE}`],
    [400, 'invalid_request', { ...auth, 'Content-Type': 'application/json' }, '{"publicKey":'],
  ])('answers %i %s when that is the first check to fail', async (status, error, headers, body) => {
    expectError(await post({ headers, body }), status, error);
  });
});

describe.each(ADAPTERS)('cross-site requests without ALLOWED_ORIGINS on %s', (adapter) => {
  const t = useTestApp(adapter);

  it('still refuses cross-site requests and non-JSON bodies, and takes any Origin', async () => {
    const holder = t.track(await TestHolder.registered(t.ws));
    const body = JSON.stringify({ publicKey: holder.publicKey, message: 'AAEC' });
    const res = await request(t.http)
      .post('/sign')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('json')
      .send(body);
    expect(res.body).toMatchObject({ statusCode: 403, error: 'forbidden_origin' });
    const form = await request(t.http)
      .post('/sign')
      .type('form')
      .send({ publicKey: holder.publicKey, message: 'AAEC' });
    expect(form.body).toMatchObject({ statusCode: 415, error: 'unsupported_media_type' });
    const other = await request(t.http)
      .post('/sign')
      .set('Origin', 'https://elsewhere.example')
      .type('json')
      .send(body);
    expect(other.status).toBe(200);
    expect(holder.received).toHaveLength(1);
  });
});
