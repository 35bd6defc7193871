import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ErrorCode } from '../protocol/error-codes.js';
import { ErrorBody } from './error-body.interface.js';
import { httpStatusOf } from './error-status.js';
import { SigSocketError } from './sigsocket.error.js';

/**
 * Maps every error that reaches HTTP to `{statusCode, error, message}`. Adapter-agnostic: it
 * replies through the HttpAdapterHost, never through Express or Fastify types.
 */
@Catch()
export class SigSocketExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(SigSocketExceptionFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = this.toBody(exception);
    const response: unknown = host.switchToHttp().getResponse();
    const { httpAdapter } = this.adapterHost;
    if (body.error === ErrorCode.Unauthorized) {
      httpAdapter.setHeader(response, 'WWW-Authenticate', 'Bearer realm="sigsocket"');
    }
    httpAdapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof SigSocketError) {
      return { statusCode: httpStatusOf(exception.code), error: exception.code, message: exception.message };
    }
    if (isUrlDecodingError(exception)) {
      // Express's router failing to decode a path parameter; its message would echo the URL.
      return { statusCode: 400, error: ErrorCode.InvalidRequest, message: 'the URL is not valid' };
    }
    const status = statusOf(exception);
    if (status === 413) {
      return { statusCode: 413, error: ErrorCode.MessageTooLarge, message: 'request body is too large' };
    }
    if (status === 415) {
      // Body-parser's refusal of a charset or content encoding it cannot decode.
      return { statusCode: 415, error: ErrorCode.UnsupportedMediaType, message: messageOf(exception) };
    }
    if (status === 404) {
      return { statusCode: 404, error: ErrorCode.NotFound, message: 'no such route' };
    }
    if (status !== undefined && status >= 400 && status < 500) {
      // Body-parser and content-type failures: the request itself is malformed.
      return { statusCode: 400, error: ErrorCode.InvalidRequest, message: messageOf(exception) };
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return { statusCode: 500, error: ErrorCode.Internal, message: 'internal error' };
  }
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  if (typeof exception === 'object' && exception !== null) {
    const { status, statusCode } = exception as { status?: unknown; statusCode?: unknown };
    if (typeof statusCode === 'number') return statusCode;
    if (typeof status === 'number') return status;
  }
  return undefined;
}

/** A URIError, as thrown, or as Nest's Express adapter wraps it (a 400 with it as the cause). */
function isUrlDecodingError(exception: unknown): boolean {
  return (
    exception instanceof URIError ||
    (exception instanceof HttpException && exception.cause instanceof URIError)
  );
}

function messageOf(exception: unknown): string {
  const raw = exception instanceof Error ? exception.message : 'malformed request';
  return raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
}
