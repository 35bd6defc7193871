import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { PendingRequests } from './pending-requests.js';

const DRAIN_POLL_MS = 25;

/**
 * The grace a key's requests get while its holder reconnects, and the server's shutdown: stop
 * accepting, let pending requests finish, fail the rest.
 */
export class SigningLifecycle {
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
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
  }

  /** The key's holder is gone: its requests fail unless it returns within the grace. */
  left(keyId: string): void {
    if (this.pending.countFor(keyId) === 0) return;
    if (this.reconnectGraceMs === 0) {
      this.failKey(keyId);
      return;
    }
    const timer = setTimeout(() => this.failKey(keyId), this.reconnectGraceMs);
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
    for (const request of this.pending.takeAll()) {
      request.link?.cancel(request.id, 'shutting_down');
      request.observer.error(new SigSocketError(ErrorCode.ShuttingDown, 'the server is shutting down'));
    }
  }

  private failKey(keyId: string): void {
    this.graceTimers.delete(keyId);
    for (const request of this.pending.takeAll(keyId)) {
      request.observer.error(new SigSocketError(ErrorCode.ClientDisconnected, 'the holder disconnected'));
    }
  }
}
