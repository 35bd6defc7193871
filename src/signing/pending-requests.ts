import type { Observer } from 'rxjs';
import { SlotMap } from '../common/slot-map.js';
import type { HolderLink, LinkRequest } from '../registry/holder-link.interface.js';
import type { SignResult } from './sign-result.interface.js';

export interface PendingRequest extends Omit<LinkRequest, 'caller'> {
  readonly keyId: string;
  /** Who asked: pending limits count per caller. Links are told {@link shownCaller} instead. */
  readonly caller: string;
  /** The caller's name for holders to show, when it may be shown. */
  readonly shownCaller?: string;
  /** Where the outcome goes: the verified result, then completion, or one error. */
  readonly observer: Observer<SignResult>;
  /** For log lines about this request's frames. */
  readonly requestId?: string;
  /** The link the request was last delivered to. */
  link?: HolderLink;
  /** Set when its deadline passed (see `withDeadline`). */
  expired?: boolean;
}

interface CallerEntry {
  count: number;
  byKey: Map<string, number>;
}

/**
 * Pending requests by id, and by key in arrival order. Counts are kept per key, per caller and
 * per (caller, key).
 */
export class PendingRequests {
  // Slots and arrays, so that a Map's discarded table cannot keep settled requests alive (SlotMap).
  private readonly byId = new SlotMap<string, PendingRequest>();
  private readonly byKey = new Map<string, PendingRequest[]>();
  private readonly byCaller = new Map<string, CallerEntry>();

  get size(): number {
    return this.byId.size;
  }

  /** Requests pending for one key. */
  countFor(keyId: string): number {
    return this.byKey.get(keyId)?.length ?? 0;
  }

  /** Requests pending from one caller, for every key or for one. */
  countFromCaller(caller: string, keyId?: string): number {
    const entry = this.byCaller.get(caller);
    if (entry === undefined) return 0;
    return keyId === undefined ? entry.count : (entry.byKey.get(keyId) ?? 0);
  }

  /** @throws Error when a request with the same id is pending: ids must be unique. */
  add(request: PendingRequest): void {
    if (this.byId.has(request.id)) throw new Error('duplicate pending request id');
    this.byId.set(request.id, request);
    const forKey = this.byKey.get(request.keyId);
    if (forKey === undefined) this.byKey.set(request.keyId, [request]);
    else forKey.push(request);
    this.countCaller(request, 1);
  }

  get(id: string): PendingRequest | undefined {
    return this.byId.get(id);
  }

  /** Removes a request; false when it was already gone. */
  remove(request: PendingRequest): boolean {
    if (this.byId.get(request.id) !== request) return false;
    this.byId.delete(request.id);
    const forKey = this.byKey.get(request.keyId);
    const index = forKey?.indexOf(request) ?? -1;
    if (index >= 0) forKey?.splice(index, 1);
    if (forKey?.length === 0) this.byKey.delete(request.keyId);
    this.countCaller(request, -1);
    return true;
  }

  /** A snapshot of every request. */
  all(): PendingRequest[] {
    return this.byId.values();
  }

  /** A snapshot of every request for a key, oldest first. */
  forKey(keyId: string): PendingRequest[] {
    const forKey = this.byKey.get(keyId);
    return forKey === undefined ? [] : [...forKey];
  }

  /** Removes and returns every request, or every request for one key, oldest first per key. */
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

/** What a link is told of a request: its `caller` is the name to show, never the one limits count. */
export function linkRequestOf(request: PendingRequest): LinkRequest {
  const { id, message, deadline, shownCaller } = request;
  return shownCaller === undefined
    ? { id, message, deadline }
    : { id, message, deadline, caller: shownCaller };
}
