import { IsString, Matches } from 'class-validator';
import { defaultMaxConnections } from './open-file-limit.js';
import { bool, custom, int, oneOf, text } from './variable.js';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export const HTTP_ADAPTERS = ['express', 'fastify'] as const;
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormatName = (typeof LOG_FORMATS)[number];

/**
 * Variables of the standalone server only. Each declaration is the variable's one source: its
 * validation, its default and its row in `docs/configuration.md` (`npm run docs:config`).
 */
export const SERVER_VARIABLES = {
  HOST: text({ default: '127.0.0.1', doc: 'Listen address.' }),
  PORT: int(0, 65535, { default: 8080, doc: 'Listen port, for HTTP and `/ws`.' }),
  LOG_LEVEL: oneOf(LOG_LEVELS, { default: 'info', doc: 'Least severe level that is logged.' }),
  LOG_FORMAT: oneOf(LOG_FORMATS, {
    default: 'text',
    doc: 'Log line format; boot errors use it too. The container image sets `json`.',
  }),
  HTTP_ADAPTER: oneOf(HTTP_ADAPTERS, { default: 'express', doc: 'HTTP platform; `fastify` is faster.' }),
  ALLOW_ANONYMOUS: bool({
    default: false,
    doc: 'Serve callers without API keys on a non-loopback `HOST`. Without it the server refuses to start there when `API_KEYS` is empty.',
  }),
  HTTP_HEADERS_TIMEOUT_MS: int(1, 3_600_000, {
    default: 10_000,
    doc: 'Time a client has to send its request headers, in ms; then it gets 408 and is disconnected. Must not exceed `HTTP_REQUEST_TIMEOUT_MS`.',
  }),
  HTTP_REQUEST_TIMEOUT_MS: int(1, 3_600_000, {
    default: 30_000,
    doc: 'Time a client has to send its whole request, body included, in ms; then it gets 408 and is disconnected.',
  }),
  MAX_CONNECTIONS: int(1, 1_048_576, {
    default: defaultMaxConnections(),
    shownDefault: '90% of the open-file limit, at most 65,536',
    doc: 'Most sockets open at once, WebSocket and HTTP. Above it, 64 more are kept for `/health*` and `/metrics`; other requests and upgrades get 503 (see docs/hostile-clients.md).',
  }),
  DEMO: bool({
    default: true,
    doc: 'Serve the browser key-holder demo page at `GET /demo`. The container image sets `false`.',
  }),
  METRICS_TOKEN: custom({
    default: '',
    range: '16 or more printable ASCII characters, no spaces',
    shownDefault: 'empty',
    doc: 'When set, `/metrics` needs `Authorization: Bearer <token>`. Empty leaves it open.',
    secret: true,
    decorators: [
      IsString(),
      Matches(/^(?:[\x21-\x7e]{16,})?$/, {
        message: 'METRICS_TOKEN must be at least 16 printable characters without spaces',
      }),
    ],
  }),
};
