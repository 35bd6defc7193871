import type { ProtocolVersion } from '../protocol/v2-frames.js';

/** A request as a holder is asked it, whatever protocol the holder speaks. */
export interface LinkRequest {
  /** Unguessable and unique within the server: answers are settled by it. */
  readonly id: string;
  readonly message: Uint8Array;
  /** When the caller stops waiting, in epoch milliseconds. */
  readonly deadline: number;
  /** Who asked, where the protocol can tell the holder. */
  readonly caller?: string;
}

/**
 * Why a delivered request no longer needs an answer: another connection of the key answered it,
 * its deadline passed, its caller withdrew it, or the server is shutting down.
 */
export type CancelReason = 'answered' | 'expired' | 'withdrawn' | 'shutting_down';

/** A holder's signature for a request, as it sent it. */
export interface HolderAnswer {
  readonly signature: Uint8Array;
  readonly signatureBase64: string;
}

/** The link to one accepted holder: how sign requests reach it, independent of the wire. */
export interface HolderLink {
  /** The wire protocol the holder speaks. */
  readonly protocol: ProtocolVersion;
  /** Connection id for logs; never the key. */
  readonly id: string;
  /** Compressed lower-case hex of the holder's key. */
  readonly keyId: string;
  /** The same key as 33 compressed bytes. */
  readonly publicKey: Uint8Array;
  /**
   * Sends a request to the holder.
   * @throws SigSocketError `holder_busy` when the holder or the server has too much queued.
   */
  deliver(request: LinkRequest): void;
  /** The request needs no answer any more; an unknown id is ignored. */
  cancel(id: string, reason: CancelReason): void;
  close(code: number, reason: string): void;
}
