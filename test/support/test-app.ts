import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createSigSocketApp } from '../../src/bootstrap.js';
import type { HttpAdapterName } from '../../src/config/environment.js';
import { loadEnvironment } from '../../src/config/load-environment.js';
import { SigningService } from '../../src/signing/signing.service.js';

export const ADAPTERS: HttpAdapterName[] = ['express', 'fastify'];

export interface TestApp {
  app: INestApplication;
  http: string;
  ws: string;
  signing: SigningService;
  close(): Promise<void>;
}

/** The real standalone server on 127.0.0.1 and an ephemeral port, configured like production. */
export async function startApp(adapter: HttpAdapterName, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadEnvironment({ LOG_LEVEL: 'error', ...env, HTTP_ADAPTER: adapter, PORT: '0' });
  const app = await createSigSocketApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  return {
    app,
    http: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}/ws`,
    signing: app.get(SigningService),
    close: () => app.close(),
  };
}
