import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { RequestIdMiddleware } from './request-id.middleware.js';

/**
 * Request ids on every route: `X-Request-Id` in and out. The REST controller hands the id to
 * SigningService, whose log lines about the request (and the holder's answer) carry it.
 */
@Module({})
export class RequestContextModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
