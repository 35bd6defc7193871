import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import type { Environment, LogLevelName } from './config/environment.js';
import { maxFrameBytes, SigSocketWsAdapter } from './gateway/sigsocket-ws.adapter.js';
import { replyToFrameworkError } from './http/fastify-framework-errors.js';
import { useRequestIds } from './logging/request-id.middleware.js';
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
  // Room for the base64 message plus the JSON around it; larger bodies answer 413.
  const bodyLimit = maxFrameBytes(env.MAX_MESSAGE_BYTES) + 1024;
  let app: INestApplication;
  if (env.HTTP_ADAPTER === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    // Uncompressed keys in /connected/{publicKey} are 130 characters; Fastify's default limit is 100.
    const adapter = new FastifyAdapter({
      routerOptions: { maxParamLength: 256 },
      bodyLimit,
      frameworkErrors: replyToFrameworkError,
    });
    app = await NestFactory.create(module, adapter, { logger });
  } else {
    // Loaded on demand like Fastify's, so neither HTTP platform is needed unless it is used.
    const { SigSocketExpressAdapter } = await import('./http/sigsocket-express.adapter.js');
    // Only the JSON parser (the API takes nothing else), and no ETag hashing of every response.
    const express = await NestFactory.create<NestExpressApplication>(module, new SigSocketExpressAdapter(), {
      logger,
      bodyParser: false,
    });
    express.useBodyParser('json', { limit: bodyLimit });
    express.set('etag', false);
    express.disable('x-powered-by');
    app = express;
  }
  useRequestIds(app);
  app.useWebSocketAdapter(new SigSocketWsAdapter(app));
  setupOpenApi(app);
  // Exit 0 after a drained shutdown rather than re-raising the signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}
