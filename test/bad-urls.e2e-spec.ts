import request from 'supertest';
import { ErrorCode } from '../src/protocol/error-codes.js';
import { ADAPTERS, useTestApp } from './support/test-app.js';

const LONG = 'a'.repeat(300);
const ECHOES = ['%zz', '%E0', 'aaaaaaaaaa'];

describe.each(ADAPTERS)('malformed URLs on %s', (adapter) => {
  const t = useTestApp(adapter);

  it.each([
    ['a bad percent-escape in a parameter', '/connected/%zz'],
    ['a cut-off UTF-8 escape in a parameter', '/connected/%E0%A4%A'],
    ['a parameter longer than any key', `/connected/${LONG}`],
  ])('answers %s with 400 invalid_request in the error body, without the URL', async (_, path) => {
    const res = await request(t.http).get(path).expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: ErrorCode.InvalidRequest,
      message: expect.any(String) as string,
    });
    for (const echoed of ECHOES) expect(res.text).not.toContain(echoed);
  });

  it.each([
    ['a bad escape outside any route', '/%zz'],
    ['a lone percent sign', '/status/%'],
    ['a long segment before a bad escape', `/${LONG}/%zz`],
  ])('answers %s with a 4xx in the error body, without the URL', async (_, path) => {
    const res = await request(t.http).get(path);
    expect([400, 404]).toContain(res.status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      statusCode: res.status,
      error: res.status === 400 ? ErrorCode.InvalidRequest : ErrorCode.NotFound,
      message: expect.any(String) as string,
    });
    for (const echoed of [...ECHOES, '%']) expect(res.text).not.toContain(echoed);
  });
});
