import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { RequestContextInterceptor } from './request-context.interceptor.js';
import { RequestIdMiddleware } from './request-id.middleware.js';

/**
 * Request ids on every route: `X-Request-Id` in and out, and the id in each log line written for
 * the request. The host app registers {@link RequestContextInterceptor} as a global interceptor.
 */
@Module({
  providers: [RequestContextInterceptor],
  exports: [RequestContextInterceptor],
})
export class RequestContextModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
