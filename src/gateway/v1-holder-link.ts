import { base64Length, encodeBase64 } from '../protocol/base64.js';
import type { HolderConnection } from '../registry/holder-connection.interface.js';
import type { CancelReason, HolderLink, LinkRequest } from '../registry/holder-link.interface.js';
import type { HolderOutbox } from '../signing/holder-outbox.js';
import { V1RequestQueue } from './v1-request-queue.js';

/** The session under a v1 link, once its key is accepted. */
export type V1Session = HolderConnection & Pick<HolderLink, 'keyId' | 'publicKey' | 'close'>;

/**
 * A holder speaking protocol v1: a request is its message in base64, and an answer names the
 * message, not the request, so the link keeps which ids wait for which bytes.
 */
export class V1HolderLink implements HolderLink {
  private readonly queue = new V1RequestQueue();

  constructor(
    readonly session: V1Session,
    private readonly outbox: HolderOutbox,
  ) {}

  get id(): string {
    return this.session.id;
  }

  get keyId(): string {
    return this.session.keyId;
  }

  get publicKey(): Uint8Array {
    return this.session.publicKey;
  }

  /** Requests delivered and neither answered nor cancelled. */
  get size(): number {
    return this.queue.size;
  }

  deliver(request: LinkRequest): void {
    this.outbox.admit(this.session, base64Length(request.message.length));
    const frame = encodeBase64(request.message);
    this.queue.add(request.id, frame);
    try {
      this.outbox.send(this.session, frame);
    } catch (error) {
      this.queue.remove(request.id);
      throw error;
    }
  }

  cancel(id: string, _reason: CancelReason): void {
    this.queue.remove(id);
  }

  /** The id of the oldest request an answer naming these message bytes settles. */
  take(messageBase64: string): string | undefined {
    return this.queue.take(messageBase64);
  }

  close(code: number, reason: string): void {
    this.session.close(code, reason);
  }
}
