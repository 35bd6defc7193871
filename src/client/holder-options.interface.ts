import type { ProtocolVersion } from '../protocol/v2-frames.js';
import type { HolderSocketConstructor } from './holder-socket.interface.js';

/** The wire protocol a holder speaks: `v2` needs a SigSocket server of version 0.2.0 or later. */
export type HolderProtocol = ProtocolVersion;

/**
 * Where a holder is: opening a socket, introduced and answering the proof-of-possession
 * challenge, ready for requests, or without a socket (waiting to reconnect, or stopped).
 */
export type HolderState = 'connecting' | 'proving' | 'ready' | 'closed';

/** Signs message bytes: ECDSA secp256k1 over SHA-256, 64-byte compact r‖s (or strict DER). */
export type HolderSigner = (message: Uint8Array) => Promise<Uint8Array> | Uint8Array;

/** A sign request as the holder received it. Challenges are never reported. */
export interface HolderRequest {
  /** v2: the server's request id. v1: a local id the SDK makes up (v1 has none on the wire). */
  readonly id: string;
  /** The message bytes to be signed. */
  readonly message: Uint8Array;
  /** Standard base64 of {@link message}, as received. */
  readonly messageBase64: string;
  /**
   * v2: epoch ms, on this machine's clock, after which the answer is useless: when the request
   * arrived plus the time the server said was left. Absent in v1.
   */
  readonly deadline?: number;
  /** v2: the caller's configured name, when the server sent one. */
  readonly caller?: string;
}

/**
 * Decides a sign request: `true` signs it; `false` or a reason string declines it (the caller
 * gets `409 rejected`, with the reason as the error message). A reason is sent with at most 1000
 * characters; the relay passes on at most 200, without control or line-separator characters.
 */
export type ApproveCallback = (request: HolderRequest) => boolean | string | Promise<boolean | string>;

/**
 * Why a request no longer needs an answer: the server says it timed out, was withdrawn by its
 * caller (or answered by another connection of the key), or that it is shutting down; or
 * `expired`: its deadline passed before `approve` settled, so it is never signed.
 */
export type HolderCancelReason = 'timeout' | 'withdrawn' | 'shutting_down' | 'expired';

/** Capped exponential backoff with jitter between reconnection attempts. */
export interface ReconnectOptions {
  /** Delay before the first retry. Default 500 ms. */
  readonly initialDelayMs?: number;
  /** Largest delay. Default 30 000 ms. */
  readonly maxDelayMs?: number;
  /** Growth per failed attempt. Default 2. */
  readonly factor?: number;
  /** Share of each delay that is random, 0..1. Default 0.5 (a delay d waits between d/2 and d). */
  readonly jitter?: number;
  /** Attempts in a row before giving up. Default: no limit. */
  readonly maxAttempts?: number;
}

/** Options of {@link SigSocketHolder}. Give exactly one of `secretKey` and `signer`. */
export interface SigSocketHolderOptions {
  /** The server's WebSocket endpoint, e.g. `ws://127.0.0.1:8080/ws`. */
  readonly url: string;
  /** A 32-byte secp256k1 secret key. It stays in memory and is never sent, logged or exposed. */
  readonly secretKey?: Uint8Array;
  /** An external signer (hardware, KMS); needs {@link publicKey}. */
  readonly signer?: HolderSigner;
  /** The signer's public key, compressed or uncompressed, as bytes or hex. Only with `signer`. */
  readonly publicKey?: Uint8Array | string;
  /** `v2` (default) or `v1`, for servers older than protocol v2. */
  readonly protocol?: HolderProtocol;
  /**
   * Asked before each request is signed, once per request id; never for a proof-of-possession
   * challenge. Without it every request is signed.
   */
  readonly approve?: ApproveCallback;
  /**
   * A request still being decided needs no answer any more; a user interface takes its prompt
   * down. The request is then never signed, whatever `approve` answers.
   */
  readonly onCancel?: (request: HolderRequest, reason: HolderCancelReason) => void;
  /** `true` (default) or backoff settings; `false` never reconnects. */
  readonly reconnect?: boolean | ReconnectOptions;
  /**
   * v1 only: whether the server asks for proof of possession (`PROOF_OF_POSSESSION`, default
   * true). With `false` the holder counts as ready right after its introduction. In v2 the server
   * says when the holder is ready.
   */
  readonly proofOfPossession?: boolean;
  /** The WebSocket class. Default `globalThis.WebSocket`; in Node 20 pass `WebSocket` from `ws`. */
  readonly WebSocket?: HolderSocketConstructor;
  /** Called once for each sign request (once per id), before it is approved and answered. */
  readonly onRequest?: (request: HolderRequest) => void;
  /** Called on every state change. */
  readonly onStateChange?: (state: HolderState) => void;
  /** Called whenever a socket closes, with the server's close code and reason. */
  readonly onClose?: (code: number, reason: string) => void;
  /**
   * Called when approving or signing a request fails (the request is then declined), when the
   * server sends a frame the holder does not expect, and for the server's notices about an answer.
   */
  readonly onError?: (error: Error) => void;
}
