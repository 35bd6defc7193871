import type { WebSocket } from 'ws';
import type { HolderConnection } from '../registry/holder-connection.interface.js';
import type { NormalizedKey } from '../verification/signature-verifier.service.js';

const MAX_REASON_BYTES = 123;

/** One `/ws` connection, from upgrade to close. It becomes a holder once its key is accepted. */
export class HolderSession implements HolderConnection {
  keyId = '';
  publicKey: Uint8Array = new Uint8Array(0);
  /** Cleared on each ping, set by each pong. */
  alive = true;
  closing = false;
  handshakeTimer: NodeJS.Timeout | undefined;
  /** While proving possession: the claimed key and the challenge it must sign. */
  claimed: NormalizedKey | undefined;
  challenge: Uint8Array | undefined;

  constructor(
    readonly id: string,
    readonly socket: WebSocket,
    readonly address: string,
  ) {}

  /** The key is accepted (and proven, when proof of possession is on). */
  get introduced(): boolean {
    return this.keyId !== '';
  }

  attach(key: NormalizedKey): void {
    this.keyId = key.id;
    this.publicKey = key.compressed;
    this.claimed = undefined;
    this.challenge = undefined;
  }

  send(frame: string): void {
    if (!this.closing) this.socket.send(frame);
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.close(code, truncateReason(reason));
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
