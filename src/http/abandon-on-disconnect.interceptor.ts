import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

/** The Node response underneath either adapter's response object. */
interface NodeResponse {
  readonly writableFinished: boolean;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

function nodeResponse(response: unknown): NodeResponse {
  // Express hands over the Node response itself; Fastify's reply wraps it as `raw`.
  const raw = (response as { raw?: unknown }).raw;
  return (raw ?? response) as NodeResponse;
}

/**
 * When the HTTP caller goes away before the answer, unsubscribes from the handler's Observable,
 * which withdraws the pending sign request: no leak and no late write.
 */
@Injectable()
export class AbandonOnDisconnectInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = nodeResponse(context.switchToHttp().getResponse<unknown>());
    return new Observable((subscriber) => {
      const inner = next.handle().subscribe(subscriber);
      const onClose = (): void => {
        if (!response.writableFinished) inner.unsubscribe();
      };
      response.once('close', onClose);
      return () => {
        response.off('close', onClose);
        inner.unsubscribe();
      };
    });
  }
}
