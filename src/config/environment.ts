import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import {
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
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

/** The server's environment variables, validated at boot. Defaults live here and only here. */
export class Environment {
  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8080;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevelName = 'info';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SIGN_TIMEOUT_MS = DEFAULT_SIGN_TIMEOUT_MS;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAX_SIGN_TIMEOUT_MS = DEFAULT_MAX_SIGN_TIMEOUT_MS;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  HEARTBEAT_INTERVAL_MS = DEFAULT_HEARTBEAT_INTERVAL_MS;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  HANDSHAKE_TIMEOUT_MS = DEFAULT_HANDSHAKE_TIMEOUT_MS;

  @IsIn(VERIFIERS)
  VERIFIER: VerifierName = 'native';

  @Transform(toBool)
  @IsBoolean()
  LOW_S = false;

  @IsIn(HTTP_ADAPTERS)
  HTTP_ADAPTER: HttpAdapterName = 'express';

  @IsIn(LOG_FORMATS)
  LOG_FORMAT: LogFormatName = 'text';

  /** Empty leaves /metrics open; otherwise scrapes must send it as a Bearer token. */
  @IsString()
  @Matches(/^(?:[\x21-\x7e]{16,})?$/, {
    message: 'METRICS_TOKEN must be at least 16 printable characters without spaces',
  })
  METRICS_TOKEN = '';
}
