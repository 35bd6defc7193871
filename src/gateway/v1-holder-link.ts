import { base64Length, encodeBase64 } from '../protocol/base64.js';
import type { CancelReason, LinkRequest } from '../registry/holder-link.interface.js';
import { type LinkSession, SessionLink } from './session-link.js';
import { V1RequestQueue } from './v1-request-queue.js';

/** The session under a v1 link (any link's session). */
export type V1Session = LinkSession;

/**
 * A holder speaking protocol v1: a request is its message in base64, and an answer names the
 * message, not the request, so the link keeps which ids wait for which bytes.
 */
export class V1HolderLink extends SessionLink {
  readonly protocol = 'v1' as const;
  private readonly queue = new V1RequestQueue();

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
}
