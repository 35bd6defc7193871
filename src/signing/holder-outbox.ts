import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { HolderConnection } from '../registry/holder-connection.interface.js';

/**
 * Sends sign requests to holders within two limits on the bytes queued in this process: one per
 * holder, read from its socket, and one for the whole server. A frame counts against the server's
 * budget from the send until it has left the process, whatever became of its request meanwhile.
 */
export class HolderOutbox {
  private queued = 0;

  constructor(
    private readonly maxHolderBytes: number,
    private readonly maxTotalBytes: number,
  ) {}

  /** Bytes of sent frames still queued in the process, for every holder together. */
  get bufferedBytes(): number {
    return this.queued;
  }

  /** @throws SigSocketError `holder_busy` when a frame of `frameBytes` may not be queued now. */
  admit(holder: HolderConnection, frameBytes: number): void {
    if (holder.bufferedBytes > this.maxHolderBytes) {
      throw new SigSocketError(
        ErrorCode.HolderBusy,
        'the holder is not reading its requests; try again later',
      );
    }
    if (this.queued + frameBytes > this.maxTotalBytes) {
      throw new SigSocketError(
        ErrorCode.HolderBusy,
        'too many bytes are queued for holders; try again later',
      );
    }
  }

  /** Sends a base64 frame (one byte per character) and counts it until it has left. */
  send(holder: HolderConnection, frame: string): void {
    const bytes = frame.length;
    this.queued += bytes;
    let counted = true;
    const sent = (): void => {
      if (!counted) return;
      counted = false;
      this.queued -= bytes;
    };
    try {
      holder.send(frame, sent);
    } catch (error) {
      sent();
      throw error;
    }
  }
}
