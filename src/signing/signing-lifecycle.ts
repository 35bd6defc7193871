import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { HolderLink } from '../registry/holder-link.interface.js';
import type { PendingRequest, PendingRequests } from './pending-requests.js';

const DRAIN_POLL_MS = 25;

/**
 * The grace a key's requests get while its holder reconnects, and the server's shutdown: stop
 * accepting, let pending requests finish, fail the rest.
 */
export class SigningLifecycle {
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /** Per key in grace, the links that left; only requests last sent to one of them fail. */
  private readonly departed = new Map<string, Set<HolderLink | undefined>>();
  private accepting = true;
  private ready = true;

  constructor(
    private readonly reconnectGraceMs: number,
    private readonly pending: PendingRequests,
  ) {}

  /** False from the start of shutdown: new requests and connections are refused. */
  get isAccepting(): boolean {
    return this.accepting;
  }

  /** False from the first step of shutdown, while new work may still be served for a while. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Readiness fails; new work is still taken until {@link stopAccepting}. */
  leave(): void {
    this.ready = false;
  }

  stopAccepting(): void {
    this.ready = false;
    this.accepting = false;
  }

  /** The key's holder is back: its requests no longer wait to fail. */
  returned(keyId: string): void {
    clearTimeout(this.graceTimers.get(keyId));
    this.graceTimers.delete(keyId);
    this.departed.delete(keyId);
  }

  /**
   * The key's holder is gone from `link` (every link of the key when undefined): the requests
   * last sent there fail unless it returns within the grace, less `elapsedMs` already waited.
   */
  left(keyId: string, link?: HolderLink, elapsedMs = 0): void {
    const stranded = (request: PendingRequest): boolean => link === undefined || request.link === link;
    if (!this.pending.forKey(keyId).some(stranded)) return;
    const departed = this.departed.get(keyId) ?? new Set();
    departed.add(link);
    this.departed.set(keyId, departed);
    const graceMs = Math.max(0, this.reconnectGraceMs - elapsedMs);
    if (graceMs === 0) {
      this.failKey(keyId);
      return;
    }
    const timer = setTimeout(() => this.failKey(keyId), graceMs);
    timer.unref();
    clearTimeout(this.graceTimers.get(keyId));
    this.graceTimers.set(keyId, timer);
  }

  /**
   * Stops accepting requests, lets pending ones finish for up to `graceMs`, then fails the rest
   * with `shutting_down`.
   */
  async drain(graceMs: number): Promise<void> {
    this.stopAccepting();
    const deadline = Date.now() + graceMs;
    while (this.pending.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS).unref());
    }
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
    this.departed.clear();
    for (const request of this.pending.takeAll()) {
      request.link?.cancel(request.id, 'shutting_down');
      request.observer.error(new SigSocketError(ErrorCode.ShuttingDown, 'the server is shutting down'));
    }
  }

  private failKey(keyId: string): void {
    const departed = this.departed.get(keyId);
    this.graceTimers.delete(keyId);
    this.departed.delete(keyId);
    const all = departed === undefined || departed.has(undefined);
    for (const request of this.pending.forKey(keyId)) {
      if (!all && !departed.has(request.link)) continue;
      this.pending.remove(request);
      request.observer.error(new SigSocketError(ErrorCode.ClientDisconnected, 'the holder disconnected'));
    }
  }
}
