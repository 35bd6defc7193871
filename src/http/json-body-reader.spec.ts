import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { isPlainJsonBody, readPlainJsonBody } from './json-body-reader.js';

/** A request whose body is `body`, with these headers (Content-Length from the body unless set). */
function requestOf(body: string | Buffer, headers: Record<string, string> = {}): IncomingMessage {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const stream = new PassThrough();
  stream.end(bytes);
  return Object.assign(stream, {
    headers: { 'content-length': String(bytes.length), ...headers },
  }) as unknown as IncomingMessage;
}

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'resolved',
    (error: { code?: string; status?: number; type?: string }) =>
      error.code ?? `${error.status} ${error.type}`,
  );

describe('isPlainJsonBody', () => {
  it.each([
    [{ 'content-type': 'application/json' }, true],
    [{ 'content-type': 'application/json; charset=utf-8' }, true],
    [{ 'content-type': 'Application/JSON;Charset="UTF-8"' }, true],
    [{ 'content-type': 'application/json', 'content-encoding': 'identity' }, true],
    [{ 'content-type': 'application/json; charset=utf-16' }, false],
    [{ 'content-type': 'application/json; charset=utf-8; x=y' }, false],
    [{ 'content-type': 'application/json', 'content-encoding': 'gzip' }, false],
  ])('%p: %p', (headers, plain) => {
    expect(isPlainJsonBody(headers)).toBe(plain);
  });
});

describe('readPlainJsonBody', () => {
  it('parses an object or array, reads an empty body as {} and drops a byte order mark', async () => {
    await expect(readPlainJsonBody(requestOf('{"a":[1,"é"]}'), 100)).resolves.toEqual({ a: [1, 'é'] });
    await expect(readPlainJsonBody(requestOf('[]'), 100)).resolves.toEqual([]);
    await expect(readPlainJsonBody(requestOf(''), 100)).resolves.toEqual({});
    await expect(readPlainJsonBody(requestOf('\ufeff{"b":2}'), 100)).resolves.toEqual({ b: 2 });
  });

  it('refuses JSON that does not parse, and a top level that is not an object, as invalid_request', async () => {
    expect(await failure(readPlainJsonBody(requestOf('{"a":'), 100))).toBe('invalid_request');
    expect(await failure(readPlainJsonBody(requestOf('"text"'), 100))).toBe('invalid_request');
    expect(await failure(readPlainJsonBody(requestOf('null'), 100))).toBe('invalid_request');
  });

  it('refuses a body over the limit with 413, and one that does not match its Content-Length with 400', async () => {
    expect(await failure(readPlainJsonBody(requestOf(`{"a":"${'x'.repeat(200)}"}`), 100))).toBe(
      '413 entity.too.large',
    );
    const short = requestOf('{}', { 'content-length': '10' });
    expect(await failure(readPlainJsonBody(short, 100))).toBe('400 request.size.invalid');
  });
});
