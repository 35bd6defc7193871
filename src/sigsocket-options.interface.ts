import { FactoryProvider, ModuleMetadata } from '@nestjs/common';
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
} from './sigsocket.constants.js';

export type VerifierBackendName = 'native' | 'elliptic';

/** Options of {@link SigSocketModule}. Every field is optional and has the server's default. */
export interface SigSocketModuleOptions {
  /** Default wait for a holder's answer, in milliseconds. Default 30000. */
  signTimeoutMs?: number;
  /** Largest `timeoutMs` a caller may ask for. Default 120000. */
  maxSignTimeoutMs?: number;
  /** Ping interval; a holder that missed the previous pong is terminated. Default 30000. */
  heartbeatIntervalMs?: number;
  /** Time a new connection has to introduce its public key. Default 10000. */
  handshakeTimeoutMs?: number;
  /** Signature verification backend: libsecp256k1 (`native`, default) or pure JS (`elliptic`). */
  verifier?: VerifierBackendName;
  /** Reject high-S signatures instead of normalising them. Default false. */
  lowS?: boolean;
  /** Holders must sign a server challenge before they count as connected. Default true. */
  proofOfPossession?: boolean;
  /** Bearer keys accepted by the REST routes; empty means open. Default []. */
  apiKeys?: string[];
  /** Origins allowed to open `/ws` from a browser; empty allows any. Default []. */
  allowedOrigins?: string[];
  /** Largest message, in decoded bytes. Default 65536. */
  maxMessageBytes?: number;
  /** Most requests pending at once for one key. Default 256. */
  maxPendingPerKey?: number;
  /** Most `/ws` connections from one address; 0 is unlimited. Default 0. */
  maxConnectionsPerIp?: number;
  /** Take the client address from `X-Forwarded-For`. Default false. */
  trustProxy?: boolean;
  /** How long a pending request waits for its holder to come back. Default 5000. */
  reconnectGraceMs?: number;
  /** How long a finished idempotent result is kept. Default 60000. */
  idempotencyTtlMs?: number;
  /** Most idempotency keys kept in memory. Default 10000. */
  idempotencyMaxKeys?: number;
  /** On shutdown, how long pending requests may still finish. Default 10000. */
  shutdownGraceMs?: number;
}

/** Static switches that decide which controllers the module registers. */
export interface SigSocketModuleExtras {
  /** Mount `POST /sign`, `GET /status` and `GET /connected/:publicKey`. Default true. */
  http?: boolean;
}

export interface SigSocketModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'>, SigSocketModuleExtras {
  useFactory: (...args: never[]) => SigSocketModuleOptions | Promise<SigSocketModuleOptions>;
  inject?: FactoryProvider['inject'];
}

export type ResolvedSigSocketOptions = Required<SigSocketModuleOptions>;

export function resolveOptions(options: SigSocketModuleOptions): ResolvedSigSocketOptions {
  return {
    signTimeoutMs: options.signTimeoutMs ?? DEFAULT_SIGN_TIMEOUT_MS,
    maxSignTimeoutMs: options.maxSignTimeoutMs ?? DEFAULT_MAX_SIGN_TIMEOUT_MS,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    verifier: options.verifier ?? 'native',
    lowS: options.lowS ?? false,
    proofOfPossession: options.proofOfPossession ?? true,
    apiKeys: options.apiKeys ?? [],
    allowedOrigins: options.allowedOrigins ?? [],
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    maxPendingPerKey: options.maxPendingPerKey ?? DEFAULT_MAX_PENDING_PER_KEY,
    maxConnectionsPerIp: options.maxConnectionsPerIp ?? 0,
    trustProxy: options.trustProxy ?? false,
    reconnectGraceMs: options.reconnectGraceMs ?? DEFAULT_RECONNECT_GRACE_MS,
    idempotencyTtlMs: options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS,
    idempotencyMaxKeys: options.idempotencyMaxKeys ?? DEFAULT_IDEMPOTENCY_MAX_KEYS,
    shutdownGraceMs: options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
  };
}
