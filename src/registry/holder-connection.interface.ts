/** A holder whose public key has been introduced and accepted. */
export interface HolderConnection {
  /** Connection id for logs; never the key. */
  readonly id: string;
  /** Compressed lower-case hex of the holder's key. */
  readonly keyId: string;
  /** The same key as 33 compressed bytes. */
  readonly publicKey: Uint8Array;
  /** Sends one text frame. */
  send(frame: string): void;
  close(code: number, reason: string): void;
}
