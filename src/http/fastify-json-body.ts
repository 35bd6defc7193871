import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest, preParsingHookHandler } from 'fastify';
import { Readable } from 'node:stream';
import { isJsonContentType, JsonBodyGuard } from './json-body.guard.js';
import { hasContentEncoding, parseJsonBody, UnparsableBody } from './json-body-reader.js';
import { RelayRouteGuard } from './route-guards.js';

/** What Fastify's parser lookup sees for `application/json` with no charset or with UTF-8. */
const PLAIN_JSON = /^application\/json(?:; charset="utf-8")?$/i;
/** A body that the hook has already read and parsed, for the parsers to hand on. */
const READ = Symbol('sigsocket.body-read');

type Done = (error: Error | null, value?: unknown) => void;
type WithBody = FastifyRequest & { [READ]?: unknown };

const logger = new Logger('FastifyJsonBody');

/** Where the checks and the slow-path reader come from (the app's own instances). */
export interface JsonBodyParts {
  readonly route: RelayRouteGuard;
  readonly body: JsonBodyGuard;
}

/**
 * `POST /sign` on the standalone Fastify server: a JSON body in UTF-8 with no content encoding,
 * nearly every one, is read by Fastify's own reader, which costs less CPU per sign than reading
 * it in {@link JsonBodyGuard} inside Nest's guard chain (docs/performance.md). The order of the
 * checks stays as the API promises: a `preParsing` hook runs the API key and origin checks (401,
 * 403) before any byte is read, Fastify reads with the same limit (413), and a body that does not
 * parse is raised by the guard (400) with the connection kept. Every other body of the route
 * (another content type, charset or encoding) still reaches the guard: 415, or body-parser.
 * No other route's body is read: the hook hands Fastify an empty payload for them.
 */
export function readJsonBodiesInFastify(
  instance: FastifyInstance,
  parts: JsonBodyParts,
  path = '/sign',
): void {
  const handOn = (request: FastifyRequest, _payload: unknown, done: Done): void =>
    done(null, (request as WithBody)[READ]);
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser(
    PLAIN_JSON,
    { parseAs: 'buffer', bodyLimit: parts.body.bodyLimit },
    (request, body, done) => done(null, (request as WithBody)[READ] ?? parseOrKeep(body as Buffer)),
  );
  instance.addContentTypeParser('*', handOn);
  instance.addHook('preParsing', beforeReading(parts, path));
}

function parseOrKeep(body: Buffer): unknown {
  try {
    return parseJsonBody(body);
  } catch (error) {
    return new UnparsableBody(error as Error);
  }
}

/** Runs the checks that come before the body; an encoded JSON body is read here, by the guard. */
function beforeReading(parts: JsonBodyParts, path: string): preParsingHookHandler {
  return (request: FastifyRequest, reply: FastifyReply, payload, done): void => {
    if (request.method !== 'POST' || request.routeOptions.url !== path) {
      // Left unread, as the framework leaves a body no parser takes.
      done(null, emptyPayload(request.headers['content-length']));
      return;
    }
    try {
      parts.route.check(request);
    } catch (error) {
      done(error as Error);
      return;
    }
    const { headers } = request;
    if (!hasContentEncoding(headers) || !isJsonContentType(headers['content-type'])) {
      done(null, payload);
      return;
    }
    // Fastify's reader would not decode it; body-parser does, as it does on Express.
    parts.body
      .readBody(request.raw, reply.raw)
      .then(
        (body) => {
          (request as WithBody)[READ] = body;
          done(null, emptyPayload(headers['content-length']));
        },
        (error: Error) => done(error),
      )
      .catch((error: unknown) => logger.error(`a request failed after its body was read: ${String(error)}`));
  };
}

/** A payload already read: nothing left, and the length Fastify compares with Content-Length. */
function emptyPayload(contentLength: string | undefined): Readable {
  return Object.assign(Readable.from([]), { receivedEncodedLength: Number(contentLength ?? 0) });
}
