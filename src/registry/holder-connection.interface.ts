/** Called once when a frame has left the process (handed to the kernel), or could not be sent. */
export type SentCallback = (error?: Error) => void;

/** A holder whose public key has been introduced and accepted. */
export interface HolderConnection {
  /** Connection id for logs; never the key. */
  readonly id: string;
  /** Compressed lower-case hex of the holder's key. */
  readonly keyId: string;
  /** The same key as 33 compressed bytes. */
  readonly publicKey: Uint8Array;
  /** Bytes sent to this holder that are still queued in the process. */
  readonly bufferedBytes: number;
  /** Sends one text frame; `sent` is called exactly once, even when the connection is closing. */
  send(frame: string, sent?: SentCallback): void;
  close(code: number, reason: string): void;
}
