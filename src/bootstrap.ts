import { INestApplication, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { AppModule } from './app.module.js';
import { bootWarnings } from './config/boot-warnings.js';
import type { Environment, LogLevelName } from './config/environment.js';
import { proxyHops } from './connections/client-address.js';
import { ConnectionGate } from './connections/connection-gate.js';
import { httpServerLimits } from './connections/http-server-limits.js';
import { RequestFront } from './connections/request-front.js';
import { SigSocketWsAdapter } from './gateway/sigsocket-ws.adapter.js';
import { replyToFrameworkError } from './http/fastify-framework-errors.js';
import { readJsonBodiesInFastify } from './http/fastify-json-body.js';
import { JsonBodyGuard } from './http/json-body.guard.js';
import { RelayRouteGuard } from './http/route-guards.js';
import { assignRequestId } from './logging/request-id.middleware.js';
import { SigSocketLogger } from './logging/sigsocket-logger.js';
import { setupOpenApi } from './openapi/openapi.js';

const NEST_LEVELS: Record<LogLevelName, LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  verbose: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * Builds the standalone server on the configured HTTP adapter, ready to `listen`. Neither adapter
 * parses bodies up front: `POST /sign` reads its own after the API key and origin checks.
 */
export async function createSigSocketApp(env: Environment): Promise<INestApplication> {
  const module = AppModule.register(env);
  const logger = new SigSocketLogger(env.LOG_FORMAT, NEST_LEVELS[env.LOG_LEVEL]);
  const limits = httpServerLimits(env.HTTP_HEADERS_TIMEOUT_MS, env.HTTP_REQUEST_TIMEOUT_MS);
  let app: INestApplication;
  if (env.HTTP_ADAPTER === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    // Uncompressed keys in /connected/{publicKey} are 130 characters; Fastify's default limit is 100.
    const adapter = new FastifyAdapter({
      routerOptions: { maxParamLength: 256 },
      frameworkErrors: replyToFrameworkError,
      http: limits,
      // Fastify sets its own requestTimeout (default none) on the server it creates.
      requestTimeout: limits.requestTimeout,
    });
    const fastify = await NestFactory.create<NestFastifyApplication>(module, adapter, {
      logger,
      bodyParser: false,
    });
    // Fastify's default parsers would answer 415, 413 or 400 before the API key is checked.
    readJsonBodiesInFastify(fastify.getHttpAdapter().getInstance(), {
      route: fastify.get(RelayRouteGuard),
      body: fastify.get(JsonBodyGuard),
    });
    app = fastify;
  } else {
    // Loaded on demand like Fastify's, so neither HTTP platform is needed unless it is used; no
    // ETag hashing of every response.
    const { SigSocketExpressAdapter } = await import('./http/sigsocket-express.adapter.js');
    const express = await NestFactory.create<NestExpressApplication>(
      module,
      new SigSocketExpressAdapter(limits),
      {
        logger,
        bodyParser: false,
      },
    );
    express.set('etag', false);
    express.disable('x-powered-by');
    app = express;
  }
  const server = app.getHttpServer() as Server;
  new ConnectionGate({
    maxConnections: env.MAX_CONNECTIONS,
    // Behind proxies every client shares the proxy's address; the gateway counts forwarded ones.
    maxPerAddress: proxyHops(env.TRUST_PROXY) > 0 ? 0 : env.MAX_CONNECTIONS_PER_IP,
  }).attach(server);
  // Every request gets its id before either framework sees it, with no framework hook.
  RequestFront.of(server).within(assignRequestId);
  app.useWebSocketAdapter(new SigSocketWsAdapter(app));
  setupOpenApi(app);
  for (const warning of bootWarnings(env)) new Logger('SigSocket').warn(warning);
  // Exit 0 after a drained shutdown rather than re-raising the signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}
