import { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import {
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
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
  };
}
