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
import { fencedBlock, installedCopies, npm, run, start, type Ran } from './support/pack.js';
import { untilConnected, verifies } from './support/sign-check.js';
import { startApp } from './support/test-app.js';
import { within } from './support/wait.js';

// `npm run test:pack`: the package as a host app gets it. It packs a clean clone of the committed
// HEAD (uncommitted changes are not in it), so commit before running it.
const ROOT = process.cwd();
const FIXTURES = join(ROOT, 'test/fixtures/pack');
const LIBRARY_DOC = readFileSync(join(ROOT, 'docs/library.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const MINUTES = 60_000;

interface PackedFile {
  readonly path: string;
}
interface Packed {
  readonly filename: string;
  readonly files: PackedFile[];
}

function ok(ran: Ran, what: string): Ran {
  if (ran.code !== 0) throw new Error(`${what} exited ${ran.code}:\n${ran.stderr.slice(-4000)}`);
  return ran;
}

/** The documented install line, with the tarball in place of `sigsocket`. */
function documentedInstall(tarball: string): string[] {
  const line = fencedBlock(LIBRARY_DOC, 'Install', 'sh').trim();
  const [command, verb, ...packages] = line.split(/\s+/);
  expect([command, verb, packages[0]]).toEqual(['npm', 'install', 'sigsocket']);
  return [tarball, ...packages.slice(1)];
}

describe('the npm package', () => {
  const work = mkdtempSync(join(tmpdir(), 'sigsocket-pack-'));
  const clone = join(work, 'clone');
  let tarball = '';
  let packed: Packed;

  beforeAll(async () => {
    const head = ok(await run('git', ['rev-parse', 'HEAD'], ROOT, 10_000), 'git rev-parse').stdout.trim();
    ok(
      await run('git', ['clone', '--quiet', '--shared', '--no-checkout', ROOT, clone], work, MINUTES),
      'git clone',
    );
    ok(await run('git', ['checkout', '--quiet', '--detach', head], clone, MINUTES), 'git checkout');
    ok(await npm(['ci'], clone), 'npm ci in the clone');
    const pack = ok(await npm(['pack', '--json', '--pack-destination', work], clone), 'npm pack');
    [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Packed[];
    tarball = join(work, packed.filename);
  }, 10 * MINUTES);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(
    'installs cleanly in the clone: npm ls --all and npm install --dry-run @nestjs/config exit 0',
    async () => {
      ok(await npm(['ls', '--all'], clone), 'npm ls --all');
      ok(
        await npm(['install', '--dry-run', '@nestjs/config'], clone),
        'npm install --dry-run @nestjs/config',
      );
    },
    5 * MINUTES,
  );

  it('ships the build from prepack, the licence and the changelog, and nothing else', () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'CHANGELOG.md',
        'README.md',
        'package.json',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/client/index.js',
        'dist/express.js',
        'dist/cli/holder.js',
      ]),
    );
    // No source maps (they would need src/), no specs, no tests, docs or tooling.
    expect(
      paths.filter(
        (path) => !/^(?:dist\/.+\.(?:js|d\.ts)|LICENSE|CHANGELOG\.md|README\.md|package\.json)$/.test(path),
      ),
    ).toEqual([]);
    expect(paths.filter((path) => path.includes('.spec.'))).toEqual([]);
    expect(readFileSync(join(clone, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  describe('in a fresh Nest host on Express', () => {
    const host = join(work, 'host');

    beforeAll(async () => {
      mkdirSync(join(host, 'src'), { recursive: true });
      writeFileSync(
        join(host, 'package.json'),
        JSON.stringify({ name: 'host', version: '1.0.0', private: true }),
      );
      writeFileSync(join(host, 'tsconfig.json'), fencedBlock(LIBRARY_DOC, 'TypeScript set-up', 'json'));
      copyFileSync(join(FIXTURES, 'host-main.ts'), join(host, 'src/main.ts'));
      ok(await npm(['install', ...documentedInstall(tarball)], host), 'the documented install');
      // What the host's own code uses: the compiler, Node's types, and ws for the holder on Node 20.
      const tools = ['typescript', '@types/node', '@types/ws'].map(
        (name) => `${name}@${manifest.devDependencies[name]}`,
      );
      ok(
        await npm(['install', `ws@${manifest.dependencies.ws}`, '--save-dev', ...tools], host),
        'the host tools',
      );
    }, 10 * MINUTES);

    it('has one copy of @nestjs/core, and neither Fastify nor its Nest platform', () => {
      expect(installedCopies(host, '@nestjs/core')).toEqual(['node_modules/@nestjs/core']);
      expect(installedCopies(host, '@nestjs/platform-fastify')).toEqual([]);
      expect(installedCopies(host, 'fastify')).toEqual([]);
    });

    it(
      'type-checks with tsc in the documented set-up, and with module nodenext',
      async () => {
        const tsc = join(host, 'node_modules/typescript/bin/tsc');
        ok(await run(process.execPath, [tsc, '-p', '.', '--noEmit'], host, 2 * MINUTES), 'tsc (documented)');
        const nodenext = ['--module', 'nodenext', '--moduleResolution', 'nodenext'];
        ok(
          await run(process.execPath, [tsc, '-p', '.', '--noEmit', ...nodenext], host, 2 * MINUTES),
          'tsc (nodenext)',
        );
      },
      5 * MINUTES,
    );

    it(
      'boots, and signs for a sigsocket/client holder through its injected SigningService',
      async () => {
        ok(
          await run(
            process.execPath,
            [join(host, 'node_modules/typescript/bin/tsc'), '-p', '.'],
            host,
            2 * MINUTES,
          ),
          'tsc',
        );
        const ran = ok(await run(process.execPath, ['dist/main.js'], host, MINUTES), 'the host app');
        const line = ran.stdout.split('\n').find((text) => text.startsWith('RESULT ')) ?? '';
        const result = JSON.parse(line.slice('RESULT '.length)) as Record<string, string>;
        expect(verifies(result.signature, Buffer.from(result.document), result.publicKey)).toBe(true);
        expect(result.refused).toBe('rejected');
        // The routes are mounted with no API keys, so the host is warned.
        expect(ran.stdout).toContain('are mounted without API keys');
      },
      5 * MINUTES,
    );

    it(
      'imports sigsocket without @nestjs/platform-express, as a Fastify host would',
      async () => {
        const platform = join(host, 'node_modules/@nestjs/platform-express');
        renameSync(platform, `${platform}.away`);
        try {
          const script = "const m = await import('sigsocket'); if (!m.SigSocketModule) process.exit(2);";
          ok(
            await run(process.execPath, ['--input-type=module', '-e', script], host, MINUTES),
            'import sigsocket',
          );
          const express = await run(
            process.execPath,
            ['--input-type=module', '-e', "await import('sigsocket/express')"],
            host,
            MINUTES,
          );
          expect(express.stderr).toContain('@nestjs/platform-express');
        } finally {
          renameSync(`${platform}.away`, platform);
        }
      },
      2 * MINUTES,
    );
  });

  describe('from a plain ES module script', () => {
    const folder = join(work, 'esm');

    beforeAll(async () => {
      mkdirSync(folder);
      writeFileSync(
        join(folder, 'package.json'),
        JSON.stringify({ name: 'esm', version: '1.0.0', private: true }),
      );
      copyFileSync(join(FIXTURES, 'esm-holder.mjs'), join(folder, 'holder.mjs'));
      ok(await npm(['install', tarball], folder), 'npm install <tarball>');
    }, 10 * MINUTES);

    it(
      'connects a sigsocket/client holder to a running server, which signs and is declined',
      async () => {
        const server = await startApp('express');
        const secretKey = secp256k1.utils.randomSecretKey();
        const holder = start(
          process.execPath,
          ['holder.mjs', server.ws, Buffer.from(secretKey).toString('hex')],
          folder,
        );
        const exited = new Promise<number | null>((resolve) => holder.once('exit', resolve));
        try {
          const lines = createInterface({ input: holder.stdout! });
          const ready = new Promise<string>((resolve) =>
            lines.on('line', (text) => text.startsWith('READY ') && resolve(text.slice(6))),
          );
          const publicKey = await within(ready, 15_000, 'the holder script to be ready');
          await untilConnected(server.http, publicKey);
          const sign = (text: string) =>
            request(server.http)
              .post('/sign')
              .send({ publicKey, message: Buffer.from(text).toString('base64') });
          const signed = await sign('contract v1').expect(200);
          expect(
            verifies((signed.body as { signature: string }).signature, Buffer.from('contract v1'), publicKey),
          ).toBe(true);
          const declined = await sign('drain the account').expect(409);
          expect(declined.body).toMatchObject({ error: 'rejected', message: 'not this one' });
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
