/**
 * A v1 session's requests by message: v1 answers carry the message, not the request's id. Ids
 * for the same bytes queue in delivery order, so the oldest request is answered first. The maps
 * are made with the first request, so that an idle holder costs none.
 */
export class V1RequestQueue {
  private byMessage: Map<string, string[]> | undefined;
  private messageOf: Map<string, string> | undefined;

  get size(): number {
    return this.messageOf?.size ?? 0;
  }

  add(id: string, messageBase64: string): void {
    const byMessage = (this.byMessage ??= new Map<string, string[]>());
    (this.messageOf ??= new Map<string, string>()).set(id, messageBase64);
    const queue = byMessage.get(messageBase64);
    if (queue === undefined) byMessage.set(messageBase64, [id]);
    else queue.push(id);
  }

  /** Forgets a request; false when it was not queued. */
  remove(id: string): boolean {
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
    const byMessage = this.byMessage;
    if (byMessage === undefined) return undefined;
    let id = byMessage.get(messageBase64)?.[0];
    if (id === undefined && byMessage.size > 0) {
      const canonical = Buffer.from(messageBase64, 'base64').toString('base64');
      if (canonical !== messageBase64) id = byMessage.get(canonical)?.[0];
    }
    if (id !== undefined) this.remove(id);
    return id;
  }
}
