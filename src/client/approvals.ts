import type { HolderKey } from './holder-key.js';
import type { ApproveCallback, HolderCancelReason, HolderRequest } from './holder-options.interface.js';
import { DEFAULT_DECLINE_REASON, FAILED_DECLINE_REASON } from './v1-answers.js';

/** What to do about a request once it is decided. */
export type Decision =
  | { readonly kind: 'sign'; readonly signature: Uint8Array }
  | { readonly kind: 'decline'; readonly reason: string }
  /** Cancelled, or past its deadline: send nothing. */
  | { readonly kind: 'dropped' };

interface Entry {
  readonly request: HolderRequest;
  cancelled: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface ApprovalHooks {
  readonly approve?: ApproveCallback;
  readonly onCancel?: (request: HolderRequest, reason: HolderCancelReason) => void;
  readonly onError: (error: unknown) => void;
}

/**
 * Requests being decided, by id: `approve`, then the signature, never past the request's deadline
 * and never once it is cancelled. Each id is decided once at a time.
 */
export class Approvals {
  private readonly pending = new Map<string, Entry>();

  constructor(
    private readonly key: HolderKey,
    private readonly hooks: ApprovalHooks,
  ) {}

  /** Whether `id` is being decided. */
  has(id: string): boolean {
    return this.pending.has(id);
  }

  /** Asks `approve` (if any), then signs; a failure is reported and declined. */
  async decide(request: HolderRequest): Promise<Decision> {
    const entry: Entry = { request, cancelled: false, timer: undefined };
    this.pending.set(request.id, entry);
    if (request.deadline !== undefined) {
      entry.timer = setTimeout(() => this.cancel(request.id, 'expired'), request.deadline - Date.now());
      unref(entry.timer);
    }
    try {
      const verdict = this.hooks.approve === undefined ? true : await this.hooks.approve(request);
      if (!this.live(entry)) return { kind: 'dropped' };
      if (verdict !== true) {
        return { kind: 'decline', reason: typeof verdict === 'string' ? verdict : DEFAULT_DECLINE_REASON };
      }
      const signature = await this.key.sign(request.message);
      return this.live(entry) ? { kind: 'sign', signature } : { kind: 'dropped' };
    } catch (error) {
      if (!this.live(entry)) return { kind: 'dropped' };
      this.hooks.onError(error);
      return { kind: 'decline', reason: FAILED_DECLINE_REASON };
    } finally {
      clearTimeout(entry.timer);
      if (this.pending.get(request.id) === entry) this.pending.delete(request.id);
    }
  }

  /** Stops deciding `id`; `onCancel` tells the user interface. An unknown id is ignored. */
  cancel(id: string, reason: HolderCancelReason): void {
    const entry = this.pending.get(id);
    if (entry === undefined) return;
    this.pending.delete(id);
    entry.cancelled = true;
    clearTimeout(entry.timer);
    this.hooks.onCancel?.(entry.request, reason);
  }

  /** Stops deciding every request, as when the holder is closed. */
  cancelAll(reason: HolderCancelReason): void {
    for (const id of [...this.pending.keys()]) this.cancel(id, reason);
  }

  /** Not cancelled, and its deadline (if any) not passed; a passed one cancels it now. */
  private live(entry: Entry): boolean {
    if (entry.cancelled) return false;
    const { deadline, id } = entry.request;
    if (deadline === undefined || Date.now() < deadline) return true;
    this.cancel(id, 'expired');
    return false;
  }
}

/** In Node, a timer must not keep the process alive on its own. */
export function unref(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
