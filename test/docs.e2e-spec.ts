import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpStatusOf } from '../src/common/error-status.js';
import { ErrorCode } from '../src/protocol/error-codes.js';

const ROOT = process.cwd();
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe('docs/http-api.md', () => {
  const rows = [...read('docs/http-api.md').matchAll(/^\| (\d{3}) +\| `([a-z_]+)` +\|/gm)].map(
    ([, status, code]) => ({ code: code as ErrorCode, status: Number(status) }),
  );

  it('gives every error code, once, the status src/common/error-status.ts gives it', () => {
    expect(rows.map(({ code }) => code).sort()).toEqual(Object.values(ErrorCode).sort());
    expect(rows).toEqual(rows.map(({ code }) => ({ code, status: httpStatusOf(code) })));
  });

  it('has a row for every error status the OpenAPI document gives POST /sign', () => {
    const openapi = JSON.parse(read('docs/openapi.json')) as {
      paths: { '/sign': { post: { responses: Record<string, unknown> } } };
    };
    const documented = Object.keys(openapi.paths['/sign'].post.responses).map(Number);
    const listed = new Set(rows.map(({ status }) => status));
    expect(documented.filter((status) => status >= 400 && !listed.has(status))).toEqual([]);
  });
});
