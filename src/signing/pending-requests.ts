import type { Subscriber } from 'rxjs';
import type { SignResult } from './sign-result.interface.js';

export interface PendingRequest {
  readonly keyId: string;
  readonly messageBase64: string;
  readonly message: Uint8Array;
  readonly subscriber: Subscriber<SignResult>;
  /** The HTTP request that asked, so log lines about the answer can name it. */
  readonly requestId?: string;
}

/**
 * Pending requests by key, then by message. Requests for the same bytes queue in arrival order,
 * so the oldest is answered first.
 */
export class PendingRequests {
  private readonly byKey = new Map<string, Map<string, PendingRequest[]>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(request: PendingRequest): void {
    let byMessage = this.byKey.get(request.keyId);
    if (byMessage === undefined) {
      byMessage = new Map();
      this.byKey.set(request.keyId, byMessage);
    }
    const queue = byMessage.get(request.messageBase64);
    if (queue === undefined) byMessage.set(request.messageBase64, [request]);
    else queue.push(request);
    this.count++;
  }

  /** Removes a request; false when it was already gone. */
  remove(request: PendingRequest): boolean {
    const byMessage = this.byKey.get(request.keyId);
    const queue = byMessage?.get(request.messageBase64);
    const index = queue?.indexOf(request) ?? -1;
    if (byMessage === undefined || queue === undefined || index < 0) return false;
    queue.splice(index, 1);
    if (queue.length === 0) byMessage.delete(request.messageBase64);
    if (byMessage.size === 0) this.byKey.delete(request.keyId);
    this.count--;
    return true;
  }

  oldest(keyId: string, messageBase64: string): PendingRequest | undefined {
    return this.byKey.get(keyId)?.get(messageBase64)?.[0];
  }

  /** A snapshot of every request for a key, oldest first within each message. */
  forKey(keyId: string): PendingRequest[] {
    const byMessage = this.byKey.get(keyId);
    return byMessage === undefined ? [] : [...byMessage.values()].flat();
  }

  all(): PendingRequest[] {
    return [...this.byKey.keys()].flatMap((keyId) => this.forKey(keyId));
  }
}
