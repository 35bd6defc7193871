import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preParsingHookHandler,
  RouteOptions,
} from 'fastify';
import { Readable } from 'node:stream';
import { JsonBodyGuard } from './json-body.guard.js';
import { parseJsonBody } from './json-body-reader.js';
import { RelayRouteGuard } from './route-guards.js';

/** What Fastify's parser lookup sees for `application/json` with no charset or with UTF-8. */
const PLAIN_JSON = /^application\/json(?:; charset="utf-8")?$/i;
/** A body that a hook has already read and parsed, for the parser to hand on. */
const READ = Symbol('sigsocket.body-read');

type Done = (error: Error | null, value?: unknown) => void;
type WithBody = FastifyRequest & { [READ]?: unknown };

/** Where the checks and the slow-path reader come from (the app's own instances). */
export interface JsonBodyParts {
  readonly route: RelayRouteGuard;
  readonly body: JsonBodyGuard;
}

/**
 * `POST /sign` on the standalone Fastify server: a JSON body in UTF-8 with no content encoding,
 * nearly every one, is read by Fastify's own reader, which costs less CPU per sign than reading
 * it in {@link JsonBodyGuard} inside Nest's guard chain (docs/performance.md). The order of the checks stays as the
 * API promises: a `preParsing` hook of the route runs the API key and origin checks (401, 403)
 * before any byte is read, then Fastify reads with the same limit (413) and the body is parsed
 * as the guard parses it (400). Errors reach the app's exception filter. Every other body (another
 * content type, charset or encoding) still reaches the guard, which answers 415 or reads it.
 * Call before the app's routes are registered (before `init` or `listen`).
 */
export function readJsonBodiesInFastify(
  instance: FastifyInstance,
  parts: JsonBodyParts,
  path = '/sign',
): void {
  const leaveToGuard = (_request: unknown, _payload: unknown, done: Done): void => done(null, undefined);
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser(
    PLAIN_JSON,
    { parseAs: 'buffer', bodyLimit: parts.body.bodyLimit },
    (request, body, done) => {
      const read = (request as WithBody)[READ];
      if (read !== undefined) return done(null, read);
      try {
        done(null, parseJsonBody(body as Buffer));
      } catch (error) {
        done(error as Error);
      }
    },
  );
  instance.addContentTypeParser('*', leaveToGuard);
  instance.addHook('onRoute', (route: RouteOptions) => {
    if (route.url !== path || !methodsOf(route).includes('POST')) return;
    route.preParsing = [...hooksOf(route.preParsing), beforeReading(parts)];
  });
}

/** Runs the checks that come before the body; an encoded body is read here, by the guard. */
function beforeReading(parts: JsonBodyParts): preParsingHookHandler {
  return (request: FastifyRequest, reply: FastifyReply, payload, done): void => {
    try {
      parts.route.check(request);
    } catch (error) {
      done(error as Error);
      return;
    }
    const encoding = request.headers['content-encoding'];
    if (encoding === undefined || encoding.trim().toLowerCase() === 'identity') {
      done(null, payload);
      return;
    }
    // Fastify's reader would not decode it; body-parser does, as it does on Express.
    parts.body.readBody(request.raw, reply.raw).then(
      (body) => {
        (request as WithBody)[READ] = body;
        done(null, emptyPayload(request.headers['content-length']));
      },
      (error: Error) => done(error),
    );
  };
}

/** A payload already read: nothing left, and the length Fastify compares with Content-Length. */
function emptyPayload(contentLength: string | undefined): Readable {
  return Object.assign(Readable.from([]), { receivedEncodedLength: Number(contentLength ?? 0) });
}

function methodsOf(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? route.method : [route.method];
}

function hooksOf<T>(hooks: T | T[] | undefined): T[] {
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? hooks : [hooks];
}
