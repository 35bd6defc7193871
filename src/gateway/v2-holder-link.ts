import { base64Length, encodeBase64 } from '../protocol/base64.js';
import { encodeV2Frame, type V2CancelReason } from '../protocol/v2-frames.js';
import type { CancelReason, LinkRequest } from '../registry/holder-link.interface.js';
import { SessionLink } from './session-link.js';

/** Room in a sign request frame beyond its base64 message: the JSON around it, id and caller. */
const SIGN_REQUEST_OVERHEAD_BYTES = 256;

/**
 * The holder learns why a request it was sent no longer needs an answer. Another connection of
 * the same key answering it reads as `withdrawn`: for this holder, the caller no longer waits.
 */
const V2_CANCEL_REASON: Record<CancelReason, V2CancelReason> = {
  expired: 'timeout',
  withdrawn: 'withdrawn',
  shutting_down: 'shutting_down',
  answered: 'withdrawn',
};

/**
 * A holder speaking protocol v2: requests carry their id, deadline and caller, and every request
 * delivered here that ends other than by this holder's own answer is cancelled on the wire.
 */
export class V2HolderLink extends SessionLink {
  readonly protocol = 'v2' as const;
  private readonly delivered = new Set<string>();

  /** Requests delivered and neither answered nor cancelled. */
  get size(): number {
    return this.delivered.size;
  }

  deliver(request: LinkRequest): void {
    this.outbox.admit(this.session, base64Length(request.message.length) + SIGN_REQUEST_OVERHEAD_BYTES);
    const frame = encodeV2Frame({
      type: 'sign_request',
      id: request.id,
      message: encodeBase64(request.message),
      deadline: request.deadline,
      expiresInMs: Math.max(0, request.deadline - Date.now()),
      caller: request.caller,
    });
    this.outbox.send(this.session, frame);
    this.delivered.add(request.id);
  }

  cancel(id: string, reason: CancelReason): void {
    if (!this.delivered.delete(id)) return;
    this.session.send(encodeV2Frame({ type: 'cancel', id, reason: V2_CANCEL_REASON[reason] }));
  }

  /** The holder answered `id` itself: it needs no cancel for it. */
  answered(id: string): void {
    this.delivered.delete(id);
  }
}
