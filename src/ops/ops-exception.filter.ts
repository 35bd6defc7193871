import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** The challenge sent with a 401 from `/metrics`. */
export const METRICS_AUTH_CHALLENGE = 'Bearer realm="sigsocket-metrics"';

/**
 * Replies to the operational routes' HTTP exceptions as they are: a failed health check keeps its
 * 503 and its report, and a refused scrape gets 401 with a `WWW-Authenticate` challenge.
 */
@Catch(HttpException)
export class OpsExceptionFilter implements ExceptionFilter<HttpException> {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: HttpException, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    const status = exception.getStatus();
    if (status === Number(HttpStatus.UNAUTHORIZED)) {
      httpAdapter.setHeader(response, 'WWW-Authenticate', METRICS_AUTH_CHALLENGE);
    }
    httpAdapter.reply(response, exception.getResponse(), status);
  }
}
