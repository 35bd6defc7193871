/** Called once when a frame has left the process (handed to the kernel), or could not be sent. */
export type SentCallback = (error?: Error) => void;

/** The socket under a holder link: where its frames go and how many bytes wait to leave. */
export interface HolderConnection {
  /** Connection id for logs; never the key. */
  readonly id: string;
  /** Bytes sent to this holder that are still queued in the process. */
  readonly bufferedBytes: number;
  /** Sends one text frame; `sent` is called exactly once, even when the connection is closing. */
  send(frame: string, sent?: SentCallback): void;
}
