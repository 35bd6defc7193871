import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { Observable } from 'rxjs';
import { runWithRequestId } from './request-context.js';
import { REQUEST_ID_HEADER, isSafeRequestId } from './request-id.js';

/**
 * Runs each HTTP handler inside its request's context. The middleware starts the context, but an
 * adapter may parse the body outside it (Fastify does), so the handler enters it again here.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const { headers } = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders }>();
    const header = headers[REQUEST_ID_HEADER];
    const requestId = typeof header === 'string' && isSafeRequestId(header) ? header : undefined;
    return new Observable((subscriber) =>
      runWithRequestId(requestId, () => next.handle().subscribe(subscriber)),
    );
  }
}
