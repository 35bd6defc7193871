import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import {
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_IDEMPOTENCY_MAX_KEYS,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_MAX_PENDING_PER_KEY,
  DEFAULT_RECONNECT_GRACE_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_MAX_SIGN_TIMEOUT_MS,
  DEFAULT_SIGN_TIMEOUT_MS,
} from '../sigsocket.constants.js';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export const VERIFIERS = ['native', 'elliptic'] as const;
export type VerifierName = (typeof VERIFIERS)[number];
export const HTTP_ADAPTERS = ['express', 'fastify'] as const;
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormatName = (typeof LOG_FORMATS)[number];

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return value;
};

const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : value;

/** An integer variable in [min, max]. */
const IntVariable = (min: number, max?: number): PropertyDecorator =>
  applyDecorators(Transform(toInt), IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)]));
const BoolVariable = (): PropertyDecorator => applyDecorators(Transform(toBool), IsBoolean());

/** The server's environment variables, validated at boot. Defaults live here and only here. */
export class Environment {
  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  @IntVariable(0, 65535)
  PORT = 8080;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevelName = 'info';

  @IntVariable(1)
  SIGN_TIMEOUT_MS = DEFAULT_SIGN_TIMEOUT_MS;

  @IntVariable(1)
  MAX_SIGN_TIMEOUT_MS = DEFAULT_MAX_SIGN_TIMEOUT_MS;

  @IntVariable(10)
  HEARTBEAT_INTERVAL_MS = DEFAULT_HEARTBEAT_INTERVAL_MS;

  @IntVariable(1)
  HANDSHAKE_TIMEOUT_MS = DEFAULT_HANDSHAKE_TIMEOUT_MS;

  @IsIn(VERIFIERS)
  VERIFIER: VerifierName = 'native';

  @BoolVariable()
  LOW_S = false;

  @IsIn(HTTP_ADAPTERS)
  HTTP_ADAPTER: HttpAdapterName = 'express';

  @BoolVariable()
  PROOF_OF_POSSESSION = true;

  @Transform(toList)
  @IsArray()
  @IsString({ each: true })
  @MinLength(16, { each: true, message: 'each API key must be at least 16 characters' })
  API_KEYS: string[] = [];

  @Transform(toList)
  @IsArray()
  @IsString({ each: true })
  ALLOWED_ORIGINS: string[] = [];

  @IntVariable(1, 16 * 1024 * 1024)
  MAX_MESSAGE_BYTES = DEFAULT_MAX_MESSAGE_BYTES;

  @IntVariable(1)
  MAX_PENDING_PER_KEY = DEFAULT_MAX_PENDING_PER_KEY;

  @IntVariable(0)
  MAX_CONNECTIONS_PER_IP = 0;

  @BoolVariable()
  TRUST_PROXY = false;

  @IntVariable(0)
  RECONNECT_GRACE_MS = DEFAULT_RECONNECT_GRACE_MS;

  @IntVariable(1)
  IDEMPOTENCY_TTL_MS = DEFAULT_IDEMPOTENCY_TTL_MS;

  @IntVariable(1)
  IDEMPOTENCY_MAX_KEYS = DEFAULT_IDEMPOTENCY_MAX_KEYS;

  @IntVariable(0)
  SHUTDOWN_GRACE_MS = DEFAULT_SHUTDOWN_GRACE_MS;

  @IsIn(LOG_FORMATS)
  LOG_FORMAT: LogFormatName = 'text';

  /** Empty leaves /metrics open; otherwise scrapes must send it as a Bearer token. */
  @IsString()
  @Matches(/^(?:[\x21-\x7e]{16,})?$/, {
    message: 'METRICS_TOKEN must be at least 16 printable characters without spaces',
  })
  METRICS_TOKEN = '';
}
