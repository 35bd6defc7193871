import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import type { Environment, LogLevelName } from './config/environment.js';
import { SigSocketWsAdapter } from './gateway/sigsocket-ws.adapter.js';

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
  const logger = NEST_LEVELS[env.LOG_LEVEL];
  let app: INestApplication;
  if (env.HTTP_ADAPTER === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    // Uncompressed keys in /connected/{publicKey} are 130 characters; Fastify's default limit is 100.
    app = await NestFactory.create(module, new FastifyAdapter({ maxParamLength: 256 }), { logger });
  } else {
    app = await NestFactory.create(module, { logger });
  }
  app.useWebSocketAdapter(new SigSocketWsAdapter(app));
  app.enableShutdownHooks();
  return app;
}
