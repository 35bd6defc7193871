/**
 * A v1 session's requests by message: v1 answers carry the message, not the request's id. Ids
 * for the same bytes queue in delivery order, so the oldest request is answered first.
 *
 * A holder mostly has one request or none, so the first one is kept in two fields and the maps
 * are made only when a second one arrives. A link lives as long as its holder, so its maps end up
 * in the old generation, where each table a Map rebuilds under churn is allocated too and keeps
 * what it held until the next full GC (see `SlotMap`); the fields avoid that, and the hashing.
 */
export class V1RequestQueue {
  private soleId: string | undefined;
  private soleMessage = '';
  private byMessage: Map<string, string[]> | undefined;
  private messageOf: Map<string, string> | undefined;

  get size(): number {
    return (this.soleId === undefined ? 0 : 1) + (this.messageOf?.size ?? 0);
  }

  /** Queues a request; an id already queued keeps its place. */
  add(id: string, messageBase64: string): void {
    if (id === this.soleId || this.messageOf?.has(id) === true) return;
    if (this.size === 0) {
      this.soleId = id;
      this.soleMessage = messageBase64;
      return;
    }
    const byMessage = (this.byMessage ??= new Map<string, string[]>());
    (this.messageOf ??= new Map<string, string>()).set(id, messageBase64);
    const queue = byMessage.get(messageBase64);
    if (queue === undefined) byMessage.set(messageBase64, [id]);
    else queue.push(id);
  }

  /** Forgets a request; false when it was not queued. */
  remove(id: string): boolean {
    if (id === this.soleId) {
      this.soleId = undefined;
      this.soleMessage = '';
      return true;
    }
    const messageBase64 = this.messageOf?.get(id);
    if (messageBase64 === undefined) return false;
    this.messageOf?.delete(id);
    const queue = this.byMessage?.get(messageBase64);
    const index = queue?.indexOf(id) ?? -1;
    if (queue !== undefined && index >= 0) queue.splice(index, 1);
    if (queue?.length === 0) this.byMessage?.delete(messageBase64);
    return true;
  }

  /**
   * Removes and returns the oldest id for these message bytes. A holder may re-encode the bytes
   * with non-zero padding bits, so an answer that does not match as sent is matched on its
   * canonical encoding.
   */
  take(messageBase64: string): string | undefined {
    if (this.size === 0) return undefined;
    let id = this.oldest(messageBase64);
    if (id === undefined) {
      const canonical = Buffer.from(messageBase64, 'base64').toString('base64');
      if (canonical !== messageBase64) id = this.oldest(canonical);
    }
    if (id !== undefined) this.remove(id);
    return id;
  }

  /** The sole request is always older than those in the maps, which came while it waited. */
  private oldest(messageBase64: string): string | undefined {
    if (this.soleId !== undefined && this.soleMessage === messageBase64) return this.soleId;
    return this.byMessage?.get(messageBase64)?.[0];
  }
}
