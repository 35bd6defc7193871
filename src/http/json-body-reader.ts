import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { finished } from 'node:stream';
import getRawBody from 'raw-body';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';

/**
 * True for a body that needs no decoding: no content encoding, and UTF-8 or no charset. Such a
 * body is read by {@link readPlainJsonBody}; any other goes to body-parser, which decodes it.
 */
export function isPlainJsonBody(headers: IncomingHttpHeaders): boolean {
  if (hasContentEncoding(headers)) return false;
  const type = headers['content-type'] ?? '';
  const semicolon = type.indexOf(';');
  if (semicolon === -1) return true;
  const parameters = type
    .slice(semicolon + 1)
    .trim()
    .toLowerCase();
  return parameters === 'charset=utf-8' || parameters === 'charset="utf-8"';
}

/** True when the body is sent with a content encoding other than `identity` (gzip, say). */
export function hasContentEncoding(headers: IncomingHttpHeaders): boolean {
  const encoding = headers['content-encoding'];
  return encoding !== undefined && encoding.trim().toLowerCase() !== 'identity';
}

/**
 * Reads and parses a plain JSON body as body-parser's `json()` does, with the reader it uses
 * (raw-body) but without its decoding layer: on Fastify a sign costs about 4% less CPU
 * (docs/performance.md). The same limits and answers: 413 over `limit`, 400 for a body shorter or
 * longer than its Content-Length, for JSON that does not parse and for a top level that is not an
 * object or array; an empty body is `{}`. On an error the rest of the body is read off first, as
 * body-parser does, so that the connection stays usable.
 */
export function readPlainJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  return getRawBody(request, { limit, length: request.headers['content-length'] }).then(
    parseJsonBody,
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error('the body could not be read');
      request.resume();
      return new Promise<never>((_resolve, reject) => finished(request, () => reject(failure)));
    },
  );
}

/**
 * A body that was read but does not parse, kept as the request's body so that its error is raised
 * where the route's checks run, after the checks that come before it, and the connection stays
 * usable, as it does when the guard reads the body.
 */
export class UnparsableBody {
  constructor(readonly error: Error) {}
}

/**
 * Parses a JSON body's bytes as body-parser's `json()` does: an empty body is `{}`, a byte order
 * mark is dropped, and JSON that does not parse or a top level that is not an object or array is
 * `invalid_request`.
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  // body-parser's decoder drops a byte order mark.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new SigSocketError(
      ErrorCode.InvalidRequest,
      error instanceof Error ? error.message : 'the body is not JSON',
    );
  }
  if (typeof value !== 'object' || value === null) {
    throw new SigSocketError(ErrorCode.InvalidRequest, 'the body must be a JSON object');
  }
  return value;
}
