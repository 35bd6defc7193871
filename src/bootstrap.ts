import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import type { Environment, LogLevelName } from './config/environment.js';
import { SigSocketWsAdapter } from './gateway/sigsocket-ws.adapter.js';
import { SigSocketLogger } from './logging/sigsocket-logger.js';
import { setupOpenApi } from './openapi/openapi.js';

const NEST_LEVELS: Record<LogLevelName, LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  verbose: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Builds the standalone server on the configured HTTP adapter, ready to `listen`. */
export async function createSigSocketApp(env: Environment): Promise<INestApplication> {
  const module = AppModule.register(env);
  const logger = new SigSocketLogger(env.LOG_FORMAT, NEST_LEVELS[env.LOG_LEVEL]);
  let app: INestApplication;
  if (env.HTTP_ADAPTER === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(module, new FastifyAdapter(), { logger });
  } else {
    app = await NestFactory.create(module, { logger });
  }
  app.useWebSocketAdapter(new SigSocketWsAdapter(app));
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
