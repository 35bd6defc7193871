import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigSocketApp } from '../../src/bootstrap.js';
import { loadEnvironment } from '../../src/config/load-environment.js';

export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

export interface TestApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly wsUrl: string;
  close(): Promise<void>;
}

/** The standalone server, configured like production from env-style overrides, on port 0. */
export async function startTestApp(adapter: AdapterName, env: Record<string, string> = {}): Promise<TestApp> {
  const app = await createSigSocketApp(
    // These suites exercise operations, with holders that do not all sign; proof of possession has its own suite.
    loadEnvironment({
      LOG_LEVEL: 'error',
      PROOF_OF_POSSESSION: 'false',
      RECONNECT_GRACE_MS: '0',
      HTTP_ADAPTER: adapter,
      ...env,
    }),
  );
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    close: () => app.close(),
  };
}
