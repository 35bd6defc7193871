import { secp256k1 } from '@noble/curves/secp256k1.js';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import request from 'supertest';
import { cleanClone, fencedBlock, installedCopies, node, npm, ok, pack, start } from './support/pack.js';
import { verifies } from './support/sign-check.js';
import { startApp } from './support/test-app.js';
import { within } from './support/wait.js';

// `npm run test:pack`: the package as a host app gets it. It packs a clean clone of the committed
// HEAD (uncommitted changes are not in it), so commit before running it.
const ROOT = process.cwd();
const FIXTURES = join(ROOT, 'test/fixtures/pack');
const LIBRARY_DOC = readFileSync(join(ROOT, 'docs/library.md'), 'utf8');
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const MINUTES = 60_000;
const API_KEY = 'pack-test-secret-0123456789';
/** What the package may hold: the build (no source maps, no specs), the demo page, and the three documents. */
const SHIPPED =
  /^(?:dist\/.+\.(?:js|d\.ts)|dist\/demo-page\/index\.html|LICENSE|CHANGELOG\.md|README\.md|package\.json)$/;

/** The documented install line, with the tarball in place of `sigsocket`. */
function documentedInstall(tarball: string): string[] {
  const [command, verb, name, ...peers] = fencedBlock(LIBRARY_DOC, 'Install', 'sh').trim().split(/\s+/);
  expect([command, verb, name]).toEqual(['npm', 'install', 'sigsocket']);
  return ['install', tarball, ...peers];
}

/** A folder with a bare package.json, as `npm init` leaves it. */
function freshProject(dir: string, name: string): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }));
}

describe('the npm package', () => {
  let work = '';
  let tarball = '';
  let files: string[] = [];
  const at = (path: string): string => join(work, path);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sigsocket-pack-'));
    await cleanClone(ROOT, at('clone'));
    ({ tarball, files } = await pack(at('clone'), work));
  }, 10 * MINUTES);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(
    'installs cleanly in the clone: npm ls --all and npm install --dry-run @nestjs/config exit 0',
    async () => {
      ok(await npm(['ls', '--all'], at('clone')), 'npm ls --all');
      ok(
        await npm(['install', '--dry-run', '@nestjs/config'], at('clone')),
        'npm install --dry-run @nestjs/config',
      );
    },
    5 * MINUTES,
  );

  it('ships the build from prepack (the demo page included), the licence and the changelog, and nothing else', () => {
    const wanted = [
      'LICENSE',
      'CHANGELOG.md',
      'README.md',
      'package.json',
      'dist/index.js',
      'dist/index.d.ts',
    ];
    wanted.push('dist/client/index.js', 'dist/client/index.d.ts', 'dist/express.js', 'dist/cli/holder.js');
    wanted.push('dist/demo-page/index.html');
    expect(files).toEqual(expect.arrayContaining(wanted));
    expect(files.filter((path) => !SHIPPED.test(path) || path.includes('.spec.'))).toEqual([]);
    expect(readFileSync(at('clone/LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  describe('in a fresh Nest host on Express', () => {
    const host = (path = ''): string => at(join('host', path));

    beforeAll(async () => {
      freshProject(host(), 'host');
      writeFileSync(host('tsconfig.json'), fencedBlock(LIBRARY_DOC, 'TypeScript set-up', 'json'));
      copyFileSync(join(FIXTURES, 'host-main.ts'), host('src/main.ts'));
      ok(await npm(documentedInstall(tarball), host()), 'the documented install');
      // What the host's own code uses: the compiler, Node's types, and ws for the holder on Node 20.
      const tools = ['typescript', '@types/node', '@types/ws'].map(
        (name) => `${name}@${MANIFEST.devDependencies[name]}`,
      );
      ok(await npm(['install', `ws@${MANIFEST.dependencies.ws}`, '-D', ...tools], host()), 'the host tools');
    }, 10 * MINUTES);

    it('has one copy of @nestjs/core, and neither Fastify nor its Nest platform', () => {
      expect(installedCopies(host(), '@nestjs/core')).toEqual(['node_modules/@nestjs/core']);
      expect(installedCopies(host(), '@nestjs/platform-fastify')).toEqual([]);
      expect(installedCopies(host(), 'fastify')).toEqual([]);
    });

    it(
      'compiles with tsc in the documented set-up, and type-checks with module nodenext',
      async () => {
        const tsc = host('node_modules/typescript/bin/tsc');
        ok(await node([tsc, '-p', '.'], host()), 'tsc in the documented set-up');
        const nodenext = ['--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
        ok(await node([tsc, '-p', '.', ...nodenext], host()), 'tsc with module nodenext');
      },
      5 * MINUTES,
    );

    it(
      'boots, and signs for a sigsocket/client holder through its injected SigningService',
      async () => {
        // dist/main.js is what tsc emitted in the documented set-up.
        const ran = ok(await node(['dist/main.js'], host()), 'the host app');
        const line = ran.stdout.split('\n').find((text) => text.startsWith('RESULT ')) ?? '';
        const result = JSON.parse(line.slice('RESULT '.length)) as Record<string, string>;
        expect(verifies(result.signature, Buffer.from(result.document), result.publicKey)).toBe(true);
        expect(result.refused).toBe('rejected');
        // The routes are mounted with no API keys, so the host is warned.
        expect(ran.stdout).toContain('are mounted without API keys');
      },
      2 * MINUTES,
    );

    it(
      'imports sigsocket without @nestjs/platform-express, as a Fastify host would',
      async () => {
        const platform = host('node_modules/@nestjs/platform-express');
        renameSync(platform, `${platform}.away`);
        try {
          const script = "const m = await import('sigsocket'); if (!m.SigSocketModule) process.exit(2);";
          ok(await node(['--input-type=module', '-e', script], host()), 'import sigsocket');
          const express = await node(
            ['--input-type=module', '-e', "await import('sigsocket/express')"],
            host(),
          );
          expect(express.stderr).toContain("Cannot find package '@nestjs/platform-express'");
        } finally {
          renameSync(`${platform}.away`, platform);
        }
      },
      2 * MINUTES,
    );
  });

  describe('from a plain ES module script', () => {
    const folder = (path = ''): string => at(join('esm', path));

    beforeAll(async () => {
      freshProject(folder(), 'esm');
      copyFileSync(join(FIXTURES, 'esm-holder.mjs'), folder('holder.mjs'));
      ok(await npm(['install', tarball], folder()), 'npm install <tarball>');
    }, 10 * MINUTES);

    it(
      'connects a sigsocket/client holder over v2 to a running server, which signs and is rejected',
      async () => {
        const server = await startApp('express', { API_KEYS: `shop=${API_KEY}` });
        const secretKey = Buffer.from(secp256k1.utils.randomSecretKey()).toString('hex');
        const holder = start(process.execPath, ['holder.mjs', server.ws, secretKey], folder());
        const exited = new Promise<unknown>((resolve) => holder.once('exit', resolve));
        try {
          const lines: string[] = [];
          const ready = new Promise<string>((resolve) =>
            createInterface({ input: holder.stdout! }).on('line', (text) => {
              lines.push(text);
              if (text.startsWith('READY ')) resolve(text.slice('READY '.length));
            }),
          );
          const publicKey = await within(ready, 15_000, 'the holder script to be ready');
          // ready() resolves on the server's ready frame: the key counts at once.
          const connected = await request(server.http)
            .get(`/connected/${publicKey}`)
            .set('Authorization', `Bearer ${API_KEY}`);
          expect(connected.body).toMatchObject({ connected: true });
          const status = await request(server.http).get('/status').set('Authorization', `Bearer ${API_KEY}`);
          expect(status.body).toMatchObject({ holders: { v1: 0, v2: 1 } });
          const sign = (text: string): request.Test =>
            request(server.http)
              .post('/sign')
              .set('Authorization', `Bearer ${API_KEY}`)
              .send({ publicKey, message: Buffer.from(text).toString('base64') });
          const signed = await sign('contract v2').expect(200);
          const signature = (signed.body as { signature: string }).signature;
          expect(verifies(signature, Buffer.from('contract v2'), publicKey)).toBe(true);
          const rejected = await sign('drain the account').expect(409);
          expect(rejected.body).toMatchObject({ error: 'rejected', message: 'not this one' });
          // Each request came with its id, its deadline and the caller's name.
          const requests = lines.filter((text) => text.startsWith('REQUEST '));
          expect(requests).toEqual([
            expect.stringMatching(/^REQUEST \S+ deadline shop$/),
            expect.stringMatching(/^REQUEST \S+ deadline shop$/),
          ]);
          expect(new Set(requests).size).toBe(2);
        } finally {
          holder.stdin!.end();
          await within(exited, 10_000, 'the holder script to exit');
          await server.close();
        }
      },
      2 * MINUTES,
    );
  });
});
