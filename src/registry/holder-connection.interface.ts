/** The socket under a holder link: where its frames go and how many bytes wait to leave. */
export interface HolderConnection {
  /** Connection id for logs; never the key. */
  readonly id: string;
  /** Bytes sent to this holder that are still queued in the process. */
  readonly bufferedBytes: number;
  /** Sends one text frame; a connection that is closing drops it. */
  send(frame: string): void;
}
