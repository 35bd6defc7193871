import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer, IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** The prototypes an Express application gives its requests and responses. */
interface ExpressPrototypes {
  readonly request: object;
  readonly response: object;
}

/**
 * `ExpressAdapter` whose HTTP server builds each request and response on Express's own
 * prototypes. Express re-parents both objects on every request (`Object.setPrototypeOf`), which
 * gives them a new hidden class each time and makes every function that touches them, in Express
 * and in Node's HTTP internals, slow and megamorphic. When the objects are born with those
 * prototypes, the re-parenting changes nothing: in `npm run bench` this cut the server's CPU per
 * sign by about 30% on Express. HTTPS and the options that need Nest's own server set-up fall
 * back to the plain adapter.
 */
export class SigSocketExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.return503OnClosing || options?.forceCloseConnections) {
      super.initHttpServer(options);
      return;
    }
    const app = this.getInstance<ExpressPrototypes & RequestListener>();
    this.httpServer = createServer(
      {
        IncomingMessage: constructorWithPrototype<typeof IncomingMessage>(IncomingMessage, app.request),
        ServerResponse: constructorWithPrototype<typeof ServerResponse>(ServerResponse, app.response),
      },
      app,
    );
  }
}

/** A constructor that runs `base` but gives the new object `prototype`, which must derive from it. */
function constructorWithPrototype<T extends new (...args: never[]) => object>(base: T, prototype: object): T {
  function Constructed(...args: unknown[]): object {
    return Reflect.construct(base, args, Constructed) as object;
  }
  Constructed.prototype = prototype;
  return Constructed as unknown as T;
}
