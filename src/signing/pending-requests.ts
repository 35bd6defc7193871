import type { Observer } from 'rxjs';
import type { SignResult } from './sign-result.interface.js';

export interface PendingRequest {
  readonly keyId: string;
  /** Who asked: pending limits count per caller. */
  readonly caller: string;
  readonly messageBase64: string;
  readonly message: Uint8Array;
  /** Where the outcome goes: the verified result, then completion, or one error. */
  readonly observer: Observer<SignResult>;
  /** For log lines about this request's frames. */
  readonly requestId?: string;
}

interface KeyEntry {
  count: number;
  byMessage: Map<string, PendingRequest[]>;
}

interface CallerEntry {
  count: number;
  byKey: Map<string, number>;
}

/**
 * Pending requests by key, then by message. Requests for the same bytes queue in arrival order,
 * so the oldest is answered first. Counts are kept per key, per caller and per (caller, key).
 */
export class PendingRequests {
  private readonly byKey = new Map<string, KeyEntry>();
  private readonly byCaller = new Map<string, CallerEntry>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Requests pending for one key. */
  countFor(keyId: string): number {
    return this.byKey.get(keyId)?.count ?? 0;
  }

  /** Requests pending from one caller, for every key or for one. */
  countFromCaller(caller: string, keyId?: string): number {
    const entry = this.byCaller.get(caller);
    if (entry === undefined) return 0;
    return keyId === undefined ? entry.count : (entry.byKey.get(keyId) ?? 0);
  }

  add(request: PendingRequest): void {
    let entry = this.byKey.get(request.keyId);
    if (entry === undefined) {
      entry = { count: 0, byMessage: new Map() };
      this.byKey.set(request.keyId, entry);
    }
    const queue = entry.byMessage.get(request.messageBase64);
    if (queue === undefined) entry.byMessage.set(request.messageBase64, [request]);
    else queue.push(request);
    entry.count++;
    this.count++;
    this.countCaller(request, 1);
  }

  /** Removes a request; false when it was already gone. */
  remove(request: PendingRequest): boolean {
    const entry = this.byKey.get(request.keyId);
    const queue = entry?.byMessage.get(request.messageBase64);
    const index = queue?.indexOf(request) ?? -1;
    if (entry === undefined || queue === undefined || index < 0) return false;
    queue.splice(index, 1);
    if (queue.length === 0) entry.byMessage.delete(request.messageBase64);
    if (--entry.count === 0) this.byKey.delete(request.keyId);
    this.count--;
    this.countCaller(request, -1);
    return true;
  }

  /**
   * Removes and returns the oldest request for these message bytes. A holder may re-encode the
   * bytes with non-zero padding bits, so an answer that does not match as sent is matched on its
   * canonical encoding.
   */
  take(keyId: string, messageBase64: string): PendingRequest | undefined {
    const byMessage = this.byKey.get(keyId)?.byMessage;
    let request = byMessage?.get(messageBase64)?.[0];
    if (request === undefined && byMessage !== undefined) {
      const canonical = Buffer.from(messageBase64, 'base64').toString('base64');
      if (canonical !== messageBase64) request = byMessage.get(canonical)?.[0];
    }
    if (request !== undefined) this.remove(request);
    return request;
  }

  /** A snapshot of every request for a key, oldest first within each message. */
  forKey(keyId: string): PendingRequest[] {
    const entry = this.byKey.get(keyId);
    return entry === undefined ? [] : [...entry.byMessage.values()].flat();
  }

  /** Removes and returns every request, or every request for one key. */
  takeAll(keyId?: string): PendingRequest[] {
    const keys = keyId === undefined ? [...this.byKey.keys()] : [keyId];
    const taken = keys.flatMap((key) => this.forKey(key));
    for (const request of taken) this.remove(request);
    return taken;
  }

  private countCaller({ caller, keyId }: PendingRequest, delta: 1 | -1): void {
    let entry = this.byCaller.get(caller);
    if (entry === undefined) {
      entry = { count: 0, byKey: new Map() };
      this.byCaller.set(caller, entry);
    }
    const forKey = (entry.byKey.get(keyId) ?? 0) + delta;
    if (forKey === 0) entry.byKey.delete(keyId);
    else entry.byKey.set(keyId, forKey);
    entry.count += delta;
    if (entry.count === 0) this.byCaller.delete(caller);
  }
}
