import type { ClusterBus } from '../cluster/cluster-bus.interface.js';
import type { ClusterMessage } from '../cluster/cluster-message.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { SlotMap } from '../common/slot-map.js';
import { decodeBase64 } from '../protocol/base64.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { CancelReason, HolderAnswer, HolderLink } from '../registry/holder-link.interface.js';
import type { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import type { AnswerOutcome } from './route-request.interface.js';

type Deliver = Extract<ClusterMessage, { t: 'deliver' }>;

interface Forwarded {
  readonly id: string;
  readonly keyId: string;
  /** The caller's instance, where the answer goes. */
  readonly from: string;
  readonly link: HolderLink;
  readonly message: Uint8Array;
  readonly deadline: number;
}

/**
 * The owner's side of requests whose callers are on other instances: it delivers them to its
 * own link and sends the holder's answers back. It keeps no timeout: the caller's instance does.
 */
export class ForwardedRequests {
  // Slots, so that a Map's discarded table cannot keep finished requests alive (see SlotMap).
  private readonly byId = new SlotMap<string, Forwarded>();

  constructor(
    private readonly bus: ClusterBus,
    private readonly self: string,
    private readonly verifier: SignatureVerifierService,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  /** Delivers a request from another instance; a refusal (`holder_busy`) goes back to it. */
  deliver(link: HolderLink, request: Deliver): void {
    const message = decodeBase64(request.message) ?? new Uint8Array(0);
    const { id, from, deadline, caller } = request;
    try {
      link.deliver({ id, message, deadline, ...(caller === undefined ? {} : { caller }) });
    } catch (error) {
      const code = error instanceof SigSocketError ? error.code : ErrorCode.Internal;
      const text = error instanceof Error ? error.message : 'delivery failed';
      this.bus.send(from, { t: 'failed', from: this.self, id, code, message: text });
      return;
    }
    this.byId.set(id, { id, keyId: link.keyId, from, link, message, deadline });
  }

  /**
   * The holder answered a forwarded request: the answer goes back, and a v2 holder's is checked
   * here too, so that it hears about an invalid signature as it would on one instance.
   */
  answer(link: HolderLink, id: string, answer: HolderAnswer): AnswerOutcome {
    const entry = this.take(link, id);
    if (entry === undefined) return 'unknown';
    this.bus.send(entry.from, { t: 'answer', from: this.self, id, signature: answer.signatureBase64 });
    if (link.protocol !== 'v2') return 'forwarded';
    const valid = this.verifier.verify(entry.message, answer.signature, link.publicKey);
    return valid ? 'verified' : 'invalid_signature';
  }

  decline(link: HolderLink, id: string, reason: string): boolean {
    const entry = this.take(link, id);
    if (entry === undefined) return false;
    this.bus.send(entry.from, { t: 'decline', from: this.self, id, reason });
    return true;
  }

  /** The caller's instance no longer needs an answer. */
  cancel(id: string, from: string, reason: CancelReason): void {
    const entry = this.byId.get(id);
    if (entry === undefined || entry.from !== from) return;
    this.byId.delete(id);
    entry.link.cancel(id, reason);
  }

  /** The key's holder left this instance: each caller's instance hears it once. */
  left(keyId: string): void {
    const callers = new Set<string>();
    for (const entry of this.byId.values()) {
      if (entry.keyId !== keyId) continue;
      this.byId.delete(entry.id);
      callers.add(entry.from);
    }
    for (const from of callers) this.bus.send(from, { t: 'left', from: this.self, keyId });
  }

  /** The instances callers are waiting on. */
  callerInstances(): string[] {
    return [...new Set([...this.byId.values()].map((entry) => entry.from))];
  }

  /**
   * Forgets requests whose caller's instance is gone (the holder is told `withdrawn`) and those
   * past their deadline.
   */
  sweep(live: ReadonlySet<string>, now = Date.now()): void {
    for (const entry of [...this.byId.values()]) {
      if (live.has(entry.from) && entry.deadline > now) continue;
      this.byId.delete(entry.id);
      entry.link.cancel(entry.id, live.has(entry.from) ? 'expired' : 'withdrawn');
    }
  }

  private take(link: HolderLink, id: string): Forwarded | undefined {
    const entry = this.byId.get(id);
    if (entry === undefined || entry.keyId !== link.keyId) return undefined;
    this.byId.delete(id);
    return entry;
  }
}

/** The signature of an answer that came over the bus. */
export function answerOf(signatureBase64: string): HolderAnswer | undefined {
  const signature = decodeBase64(signatureBase64);
  return signature === null ? undefined : { signature, signatureBase64 };
}
