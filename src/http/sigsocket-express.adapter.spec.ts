import type { NestApplicationOptions } from '@nestjs/common';
import { IncomingMessage, request, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SigSocketExpressAdapter } from './sigsocket-express.adapter.js';

interface Seen {
  requestOnExpressPrototype: boolean;
  responseOnExpressPrototype: boolean;
  isNodeRequest: boolean;
  isNodeResponse: boolean;
}

/** Serves one request and reports the prototypes the objects had before Express saw them. */
async function serveOne(options: NestApplicationOptions): Promise<{ seen: Seen; status: number }> {
  const adapter = new SigSocketExpressAdapter();
  adapter.initHttpServer(options);
  const express = adapter.getInstance<{ request: object; response: object }>();
  const server = adapter.getHttpServer() as Server;
  let seen: Seen | undefined;
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    seen = {
      requestOnExpressPrototype: Object.getPrototypeOf(req) === express.request,
      responseOnExpressPrototype: Object.getPrototypeOf(res) === express.response,
      isNodeRequest: req instanceof IncomingMessage,
      isNodeResponse: res instanceof ServerResponse,
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/nothing-here', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
    return { seen: seen!, status };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('SigSocketExpressAdapter', () => {
  it("creates requests and responses on Express's prototypes, still Node's own classes", async () => {
    const { seen, status } = await serveOne({});
    expect(status).toBe(404);
    expect(seen).toEqual({
      requestOnExpressPrototype: true,
      responseOnExpressPrototype: true,
      isNodeRequest: true,
      isNodeResponse: true,
    });
  });

  it("falls back to Nest's own server set-up for options it does not handle", async () => {
    const { seen } = await serveOne({ return503OnClosing: true });
    expect(seen.requestOnExpressPrototype).toBe(false);
    expect(seen.isNodeRequest).toBe(true);
  });
});
