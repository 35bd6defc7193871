import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestFront } from './request-front.js';

function get(server: Server): Promise<{ status: number; body: string; id?: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, id: res.headers['x-id'] as string | undefined }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('RequestFront', () => {
  let server: Server;
  const seen: string[] = [];

  beforeEach(async () => {
    seen.length = 0;
    server = createServer((_request, response) => {
      seen.push('app');
      response.end('app');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is one listener per server, in place of the app', () => {
    expect(RequestFront.of(server)).toBe(RequestFront.of(server));
    expect(server.listenerCount('request')).toBe(1);
  });

  it('runs the check added last first, and a check that answers keeps the request from the app', async () => {
    const front = RequestFront.of(server);
    front.check(() => {
      seen.push('first added');
      return false;
    });
    front.check((_request, response) => {
      seen.push('last added');
      response.statusCode = 503;
      response.end('refused');
      return true;
    });
    await expect(get(server)).resolves.toMatchObject({ status: 503, body: 'refused' });
    expect(seen).toEqual(['last added']);
  });

  it('passes a request every check lets through to the app, inside the scope, checks included', async () => {
    const front = RequestFront.of(server);
    let inScope = false;
    front.check(() => {
      seen.push(inScope ? 'check in scope' : 'check outside');
      return false;
    });
    front.within((_request, response, next) => {
      response.setHeader('x-id', 'r1');
      inScope = true;
      try {
        next();
      } finally {
        inScope = false;
      }
    });
    await expect(get(server)).resolves.toEqual({ status: 200, body: 'app', id: 'r1' });
    expect(seen).toEqual(['check in scope', 'app']);
  });
});
