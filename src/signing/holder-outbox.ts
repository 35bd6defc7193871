import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { HolderConnection } from '../registry/holder-connection.interface.js';

/**
 * Sends sign requests to holders within two limits on the bytes queued in this process: one per
 * holder, read from its socket, and one for the whole server, the sum of what every holder's
 * socket still holds. A frame counts from the send until it has left the process, whatever became
 * of its request meanwhile.
 *
 * A holder that reads has its frames flushed to the kernel during the send, so it costs nothing
 * here. Only a holder whose socket still held bytes after a send is remembered, with what it held;
 * bytes are queued only by sends, so between re-reads the remembered sum can only overstate, and
 * it is re-read from the sockets when it nears the limit.
 */
export class HolderOutbox {
  private readonly backlog = new Map<HolderConnection, number>();
  private backlogBytes = 0;

  constructor(
    private readonly maxHolderBytes: number,
    private readonly maxTotalBytes: number,
  ) {}

  /** Bytes of sent frames still queued in the process, for every holder together. */
  get bufferedBytes(): number {
    this.reread();
    return this.backlogBytes;
  }

  /** @throws SigSocketError `holder_busy` when a frame of `frameBytes` may not be queued now. */
  admit(holder: HolderConnection, frameBytes: number): void {
    if (holder.bufferedBytes > this.maxHolderBytes) {
      throw new SigSocketError(
        ErrorCode.HolderBusy,
        'the holder is not reading its requests; try again later',
      );
    }
    if (this.backlogBytes + frameBytes <= this.maxTotalBytes) return;
    this.reread();
    if (this.backlogBytes + frameBytes > this.maxTotalBytes) {
      throw new SigSocketError(
        ErrorCode.HolderBusy,
        'too many bytes are queued for holders; try again later',
      );
    }
  }

  /** Sends a frame and remembers the holder while its socket holds bytes. */
  send(holder: HolderConnection, frame: string): void {
    holder.send(frame);
    this.remember(holder);
  }

  /** The holder's connection is gone, and what it held with it. */
  forget(holder: HolderConnection): void {
    const held = this.backlog.get(holder);
    if (held === undefined) return;
    this.backlog.delete(holder);
    this.backlogBytes -= held;
  }

  private remember(holder: HolderConnection): void {
    const held = holder.bufferedBytes;
    const before = this.backlog.get(holder);
    if (before === undefined && held === 0) return;
    this.backlogBytes += held - (before ?? 0);
    if (held === 0) this.backlog.delete(holder);
    else this.backlog.set(holder, held);
  }

  /** Reads what each remembered socket holds now; those that hold nothing are let go. */
  private reread(): void {
    for (const holder of this.backlog.keys()) this.remember(holder);
  }
}
