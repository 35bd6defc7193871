import type { WebSocket } from 'ws';
import type { HolderConnection } from '../registry/holder-connection.interface.js';
import type { HolderLink } from '../registry/holder-link.interface.js';
import type { NormalizedKey } from '../verification/signature-verifier.service.js';

const MAX_REASON_BYTES = 123;

/** How a session watches the bytes queued for it: a holder that stops reading is dropped. */
export interface StallWatch {
  /** Bytes queued above which the holder counts as not keeping up. */
  readonly maxBufferedBytes: number;
  /** How long it may stay above `maxBufferedBytes`. */
  readonly stallMs: number;
  /** Called when it stayed above for `stallMs`. */
  onStall(session: HolderSession): void;
}

/** One `/ws` connection, from upgrade to close. It becomes a holder once its key is accepted. */
export class HolderSession implements HolderConnection {
  keyId = '';
  publicKey: Uint8Array = new Uint8Array(0);
  /** Cleared on each ping, set by each pong. */
  alive = true;
  closing = false;
  /** The close code the server meant when it had to terminate the connection instead. */
  terminatedWith: number | undefined;
  handshakeTimer: NodeJS.Timeout | undefined;
  /** Set once the key is accepted: how requests reach the holder. */
  link: HolderLink | undefined;
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: string,
    readonly socket: WebSocket,
    readonly address: string,
    private readonly watch: StallWatch,
  ) {}

  /** The key is accepted (and proven, when proof of possession is on). */
  get introduced(): boolean {
    return this.link !== undefined;
  }

  get bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  /** The key is accepted: requests reach the holder through `link`. */
  attach(key: NormalizedKey, link: HolderLink): void {
    this.keyId = key.id;
    this.publicKey = key.compressed;
    this.link = link;
  }

  send(frame: string): void {
    if (this.closing) return;
    this.socket.send(frame);
    this.watchQueue();
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.close(code, truncateReason(reason));
  }

  /**
   * Drops the connection without a close handshake, for a peer that would never read the close
   * frame; `code` is what the server meant, for logs and metrics.
   */
  terminate(code: number): void {
    this.closing = true;
    this.terminatedWith ??= code;
    this.socket.terminate();
  }

  /** The connection is gone: no timer of its own may fire any more. */
  dispose(): void {
    this.closing = true;
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
  }

  /** Arms the stall timer while the queue is above the limit, and disarms it once it is not. */
  private watchQueue(): void {
    const over = this.socket.bufferedAmount > this.watch.maxBufferedBytes;
    if (this.stallTimer !== undefined) {
      if (!over) {
        clearTimeout(this.stallTimer);
        this.stallTimer = undefined;
      }
      return;
    }
    if (!over) return;
    this.stallTimer = setTimeout(() => {
      this.stallTimer = undefined;
      if (!this.closing && this.socket.bufferedAmount > this.watch.maxBufferedBytes) this.watch.onStall(this);
    }, this.watch.stallMs);
    this.stallTimer.unref();
  }
}

function truncateReason(reason: string): string {
  const bytes = Buffer.from(reason);
  return bytes.length <= MAX_REASON_BYTES
    ? reason
    : bytes
        .subarray(0, MAX_REASON_BYTES)
        .toString()
        .replace(/\uFFFD+$/, '');
}
