import { RESERVED_PREFIX } from './challenge.js';

/** The WebSocket subprotocols a holder may offer; `sigsocket.v2` wins when both are offered. */
export const Subprotocol = { V1: 'sigsocket.v1', V2: 'sigsocket.v2' } as const;
export type Subprotocol = (typeof Subprotocol)[keyof typeof Subprotocol];

/** The subprotocol the server answers an offer with: v2 when offered, else v1 when offered. */
export function chooseSubprotocol(offered: ReadonlySet<string>): Subprotocol | undefined {
  if (offered.has(Subprotocol.V2)) return Subprotocol.V2;
  return offered.has(Subprotocol.V1) ? Subprotocol.V1 : undefined;
}

/** The wire protocol versions a holder can speak. */
export type ProtocolVersion = 'v1' | 'v2';

/** The first line of the message a v2 holder signs to prove its key. */
export const PROOF_PREFIX = `${RESERVED_PREFIX}proof:v2`;

/** Longest request id a v2 frame may carry; the server's ids are far shorter. */
export const MAX_REQUEST_ID_CHARS = 128;
/** Longest URL a proof frame may carry. */
export const MAX_PROOF_URL_CHARS = 2048;

/** Why the server tells a v2 holder a request needs no answer any more. */
export type V2CancelReason = 'timeout' | 'withdrawn' | 'shutting_down';

/** Frames a v2 holder sends, as their JSON reads. */
export type V2HolderFrameJson =
  | { readonly type: 'hello'; readonly publicKey: string }
  | { readonly type: 'proof'; readonly url: string; readonly signature: string }
  | { readonly type: 'sign_response'; readonly id: string; readonly signature: string }
  | { readonly type: 'reject'; readonly id: string; readonly reason?: string };

/** Frames the server sends to a v2 holder. */
export type V2ServerFrame =
  | { readonly type: 'challenge'; readonly nonce: string }
  | { readonly type: 'ready'; readonly publicKey: string }
  | V2SignRequestFrame
  | { readonly type: 'cancel'; readonly id: string; readonly reason: V2CancelReason }
  | { readonly type: 'error'; readonly id: string; readonly code: string; readonly message: string };

export interface V2SignRequestFrame {
  readonly type: 'sign_request';
  readonly id: string;
  /** Standard base64 of the message bytes. */
  readonly message: string;
  /** Epoch milliseconds after which the answer is of no use. */
  readonly deadline: number;
  /** The time left when the frame was sent, for holders whose clock is off. */
  readonly expiresInMs: number;
  readonly caller?: string;
}

/**
 * The exact bytes a v2 proof signs: `sigsocket:proof:v2`, LF, the URL as the proof frame sends
 * it, LF, the challenge's nonce as received, in UTF-8.
 */
export function proofMessage(url: string, nonce: string): Uint8Array {
  return new TextEncoder().encode(`${PROOF_PREFIX}\n${url}\n${nonce}`);
}

/** One frame as its JSON text. A sign request is written by hand: it is on the hot path. */
export function encodeV2Frame(frame: V2ServerFrame | V2HolderFrameJson): string {
  if (frame.type !== 'sign_request') return JSON.stringify(frame);
  const caller = frame.caller === undefined ? '' : `,"caller":${JSON.stringify(frame.caller)}`;
  return (
    `{"type":"sign_request","id":${JSON.stringify(frame.id)},"message":"${frame.message}",` +
    `"deadline":${frame.deadline},"expiresInMs":${frame.expiresInMs}${caller}}`
  );
}
