// The baseline's pending requests: by key, then by message, oldest first for the same bytes, as
// protocol v1 answers name the message. The same work SigSocket's v1 matching does per answer.
export class PendingRequests {
  #byKey = new Map(); // keyId -> Map<messageBase64, request[]>
  #count = 0;

  get size() {
    return this.#count;
  }

  add(request) {
    let byMessage = this.#byKey.get(request.keyId);
    if (byMessage === undefined) this.#byKey.set(request.keyId, (byMessage = new Map()));
    const queue = byMessage.get(request.messageBase64);
    if (queue === undefined) byMessage.set(request.messageBase64, [request]);
    else queue.push(request);
    this.#count++;
  }

  remove(request) {
    const byMessage = this.#byKey.get(request.keyId);
    const queue = byMessage?.get(request.messageBase64);
    const index = queue?.indexOf(request) ?? -1;
    if (index < 0) return false;
    queue.splice(index, 1);
    if (queue.length === 0) byMessage.delete(request.messageBase64);
    if (byMessage.size === 0) this.#byKey.delete(request.keyId);
    this.#count--;
    return true;
  }

  /** The oldest request for these bytes, matched as sent or on the canonical encoding. */
  take(keyId, messageBase64) {
    const byMessage = this.#byKey.get(keyId);
    let request = byMessage?.get(messageBase64)?.[0];
    if (request === undefined && byMessage !== undefined) {
      const canonical = Buffer.from(messageBase64, 'base64').toString('base64');
      if (canonical !== messageBase64) request = byMessage.get(canonical)?.[0];
    }
    if (request !== undefined) this.remove(request);
    return request;
  }

  forKey(keyId) {
    const byMessage = this.#byKey.get(keyId);
    return byMessage === undefined ? [] : [...byMessage.values()].flat();
  }

  takeAll(keyId) {
    const keys = keyId === undefined ? [...this.#byKey.keys()] : [keyId];
    const taken = keys.flatMap((key) => this.forKey(key));
    for (const request of taken) this.remove(request);
    return taken;
  }
}
