import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createSigSocketApp } from '../../src/bootstrap.js';
import type { HttpAdapterName } from '../../src/config/environment.js';
import { loadEnvironment } from '../../src/config/load-environment.js';
import { SigningService } from '../../src/signing/signing.service.js';
import { eventually } from './wait.js';

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

/** A suite's app: {@link TestApp} plus holders to close after each test. */
export interface SuiteApp extends TestApp {
  /** Closes `holder` after the current test. */
  track<H extends { close(): Promise<unknown> }>(holder: H): H;
}

/**
 * The app for one `describe` block: started before its tests, closed after them. After each test
 * the tracked holders are closed and no request may stay pending.
 */
export function useTestApp(adapter: HttpAdapterName, env: Record<string, string> = {}): SuiteApp {
  let started: TestApp | undefined;
  const holders: { close(): Promise<unknown> }[] = [];
  const current = (): TestApp => {
    if (started === undefined) throw new Error('the app starts in beforeAll');
    return started;
  };
  beforeAll(async () => {
    started = await startApp(adapter, env);
  });
  afterEach(async () => {
    await Promise.all(holders.splice(0).map((holder) => holder.close().catch(() => undefined)));
    await eventually(() => current().signing.pendingCount() === 0, 3000, 'no pending requests');
  });
  afterAll(async () => {
    await current().close();
  });
  return {
    get app() {
      return current().app;
    },
    get http() {
      return current().http;
    },
    get ws() {
      return current().ws;
    },
    get signing() {
      return current().signing;
    },
    close: () => current().close(),
    track: (holder) => {
      holders.push(holder);
      return holder;
    },
  };
}
