import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import bodyParser from 'body-parser';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { SigSocketError } from '../common/sigsocket.error.js';
import { isPlainJsonBody, readPlainJsonBody, UnparsableBody } from './json-body-reader.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { httpRequestOf, httpResponseOf } from './http-context.js';

/** Room for the JSON around the base64 message: the key, the field names, `timeoutMs`. */
const BODY_OVERHEAD_BYTES = 2048;

/** The largest `POST /sign` body for messages of up to `maxMessageBytes`; larger bodies get 413. */
export function jsonBodyLimit(maxMessageBytes: number): number {
  return Math.ceil(maxMessageBytes / 3) * 4 + BODY_OVERHEAD_BYTES;
}

/** True for `application/json`, with any parameters (a charset). */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const semicolon = header.indexOf(';');
  const type = semicolon === -1 ? header : header.slice(0, semicolon);
  return type.trim().toLowerCase() === 'application/json';
}

/** An Express request is Node's request; Fastify's keeps Node's request as `raw`. */
interface BodyRequest {
  headers: IncomingHttpHeaders;
  body?: unknown;
  raw?: IncomingMessage;
}

type NodeParser = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * The body of a route that takes JSON. Every other content type gets 415 `unsupported_media_type`;
 * then the body is read and parsed (413 over the size limit, 400 when it is not JSON).
 * {@link SignRouteGuard} runs it after the API key (401) and origin (403) checks, so an
 * unauthorised caller's body is never parsed. A guard rather than an interceptor, so the route's
 * handler runs without an interceptor chain around it. A body already read passes: a host app's
 * parser may have set it, and on the standalone Fastify server Fastify's own reader sets a plain
 * UTF-8 one (`readJsonBodiesInFastify`).
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  private readonly limit: number;
  private readonly parse: NodeParser;

  constructor(@Inject(SIGSOCKET_OPTIONS) options: ResolvedSigSocketOptions) {
    this.limit = jsonBodyLimit(options.maxMessageBytes);
    // The content type is checked here, so the parser reads every body it is given.
    this.parse = bodyParser.json({ limit: this.limit, type: () => true });
  }

  canActivate(context: ExecutionContext): true | Promise<true> {
    const request = httpRequestOf<BodyRequest>(context);
    if (!isJsonContentType(request.headers['content-type'])) {
      throw new SigSocketError(ErrorCode.UnsupportedMediaType, 'the body must be application/json');
    }
    if (request.body instanceof UnparsableBody) throw request.body.error;
    if (request.body !== undefined) return true;
    const response = httpResponseOf<{ raw?: ServerResponse }>(context);
    return this.read(request, response.raw ?? (response as ServerResponse));
  }

  /** The body's size limit in bytes. */
  get bodyLimit(): number {
    return this.limit;
  }

  /** Reads and parses a JSON body from Node's request; rejects with 413, 415 or 400 errors. */
  readBody(raw: IncomingMessage, response: ServerResponse): Promise<unknown> {
    if (isPlainJsonBody(raw.headers)) return readPlainJsonBody(raw, this.limit);
    // A content encoding or a charset other than UTF-8: body-parser decodes it.
    return new Promise((resolve, reject) => {
      this.parse(raw, response, (error) => {
        if (error !== undefined) {
          reject(error instanceof Error ? error : new Error('the body could not be read'));
          return;
        }
        resolve((raw as { body?: unknown }).body);
      });
    });
  }

  private read(request: BodyRequest, response: ServerResponse): Promise<true> {
    return this.readBody(request.raw ?? (request as IncomingMessage), response).then((body) => {
      request.body = body;
      return true;
    });
  }
}
