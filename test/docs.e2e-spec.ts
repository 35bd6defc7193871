import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
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

describe('the rules of docs/architecture.md', () => {
  const sources = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
      .map((file) => join(dir, file));
  const importsOf = (file: string): string[] =>
    [...read(file).matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map(([, specifier]) => specifier);
  const nodeOnly = new Set(builtinModules);

  it('protocol/ and client/ import nothing from Nest and no Node-only module', () => {
    const offending = [...sources('src/protocol'), ...sources('src/client')].flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('@nestjs/') || spec.startsWith('node:') || nodeOnly.has(spec))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('gateway/ and http/ never import each other', () => {
    const crossing = (from: string, to: string) =>
      sources(from).filter((file) => importsOf(file).some((spec) => spec.includes(`/${to}/`)));
    expect([...crossing('src/gateway', 'http'), ...crossing('src/http', 'gateway')]).toEqual([]);
  });

  it('only config/ reads process.env (and the holder CLI, its own key)', () => {
    const readers = sources('src').filter((file) => read(file).includes('process.env'));
    expect(readers.map((file) => relative('src', file)).sort()).toEqual([
      join('cli', 'holder.ts'),
      join('config', 'load-environment.ts'),
    ]);
  });
});
