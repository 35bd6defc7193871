import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer, IncomingMessage, RequestListener, ServerOptions, ServerResponse } from 'node:http';

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
 * prototypes, the re-parenting changes nothing (its effect in `npm run bench` is in
 * docs/performance.md). HTTPS and the options that need Nest's own server set-up fall back to the
 * plain adapter. `serverOptions` (timeouts) are given to Node's `createServer`, or set on the
 * plain adapter's server.
 */
export class SigSocketExpressAdapter extends ExpressAdapter {
  constructor(private readonly serverOptions: ServerTimeouts = {}) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    const app = this.getInstance<ExpressPrototypes & RequestListener>();
    const nestSetUp = options?.httpsOptions || options?.return503OnClosing || options?.forceCloseConnections;
    if (nestSetUp || !canBuildOn(IncomingMessage, app.request) || !canBuildOn(ServerResponse, app.response)) {
      super.initHttpServer(options);
      // Node reads connectionsCheckingInterval when the server starts listening.
      Object.assign(this.httpServer as object, this.serverOptions);
      return;
    }
    this.httpServer = createServer(
      {
        ...this.serverOptions,
        IncomingMessage: constructorWithPrototype<typeof IncomingMessage>(IncomingMessage, app.request),
        ServerResponse: constructorWithPrototype<typeof ServerResponse>(ServerResponse, app.response),
      },
      app,
    );
  }
}

/** The options of Node's HTTP server that bound how long a client may take. */
export type ServerTimeouts = Pick<
  ServerOptions,
  'headersTimeout' | 'requestTimeout' | 'connectionsCheckingInterval'
>;

/** True when `base` is a plain constructor function and `prototype` derives from its prototype. */
function canBuildOn(base: new (...args: never[]) => object, prototype: unknown): boolean {
  const isClass = /^class\b/.test(Function.prototype.toString.call(base));
  return !isClass && typeof prototype === 'object' && prototype !== null && prototype instanceof base;
}

/**
 * A constructor that initialises the new object with `base`, as a subclass would, but on
 * `prototype`, which must derive from `base.prototype`. Node's `IncomingMessage` and
 * `ServerResponse` are plain constructor functions, so they can be applied to it. (Built through
 * `Reflect.construct` instead, the objects showed no gain in `npm run bench`.)
 */
function constructorWithPrototype<T extends new (...args: never[]) => object>(base: T, prototype: object): T {
  const init = base as unknown as (this: object, ...args: unknown[]) => void;
  function Constructed(this: object, ...args: unknown[]): void {
    init.apply(this, args);
  }
  Constructed.prototype = prototype;
  return Constructed as unknown as T;
}
