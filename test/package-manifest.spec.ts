import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  engines?: { node?: string };
}

const read = (path: string): Manifest =>
  JSON.parse(readFileSync(join(process.cwd(), path), 'utf8')) as Manifest;
const root = read('package.json');
const server = read('server/package.json');
const peers = root.peerDependencies ?? {};
const HTTP_PLATFORMS = ['@nestjs/platform-express', '@nestjs/platform-fastify', '@fastify/static'];

describe('package.json', () => {
  it('takes Nest, rxjs and reflect-metadata from the host as required peers', () => {
    const required = Object.keys(peers).filter(
      (name) => root.peerDependenciesMeta?.[name]?.optional !== true,
    );
    expect(required.sort()).toEqual(
      [
        '@nestjs/common',
        '@nestjs/core',
        '@nestjs/platform-ws',
        '@nestjs/websockets',
        'reflect-metadata',
        'rxjs',
      ].sort(),
    );
    expect(Object.keys(root.dependencies ?? {}).filter((name) => name in peers)).toEqual([]);
  });

  it('leaves both HTTP platforms optional, so a host installs only the one it uses', () => {
    for (const name of HTTP_PLATFORMS) {
      expect([name, peers[name], root.peerDependenciesMeta?.[name]?.optional]).toEqual([
        name,
        expect.any(String),
        true,
      ]);
    }
  });

  it('builds and tests against the peer ranges: each peer is a dev dependency with the same range', () => {
    for (const [name, range] of Object.entries(peers))
      expect([name, root.devDependencies?.[name]]).toEqual([name, range]);
  });

  it('gives the standalone server every peer, both platforms included (server/package.json)', () => {
    expect(server.dependencies).toEqual(peers);
  });

  it('names Node 20 and the Docker image’s Node 24 in engines', () => {
    const dockerfile = readFileSync(join(process.cwd(), 'docker/Dockerfile'), 'utf8');
    const majors = [...dockerfile.matchAll(/^FROM node:(\d+)-/gm)].map((match) => match[1]);
    expect(new Set(majors)).toEqual(new Set(['24']));
    expect(root.engines?.node).toBe('^20.19.0 || ^24.0.0');
  });
});
