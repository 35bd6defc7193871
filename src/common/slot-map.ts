/**
 * A `Map` for a long-lived index whose entries come and go many times a second and hold large
 * object graphs, such as pending requests by id. Each value sits in a slot that is emptied when
 * the entry is deleted.
 *
 * Why: a `Map` appends every entry and leaves a hole where one was deleted, so under steady churn
 * it rebuilds its hash table every few dozen operations. Once the map is in V8's old generation,
 * its new tables are allocated there too, and a discarded table still points at the entries it
 * held until the next full collection. With requests as values, that kept nearly every request's
 * objects (the caller's subscriber chain, its HTTP request) alive long enough to be moved to the
 * old generation: about 1.7 KiB a sign, and a full collection every second under load. A
 * discarded table of slots holds only emptied slots. See "GC cost per sign" in
 * `docs/performance.md`.
 */
export class SlotMap<K, V> {
  private readonly slots = new Map<K, { value: V | undefined }>();

  get size(): number {
    return this.slots.size;
  }

  get(key: K): V | undefined {
    return this.slots.get(key)?.value;
  }

  has(key: K): boolean {
    return this.slots.has(key);
  }

  set(key: K, value: V): void {
    const slot = this.slots.get(key);
    if (slot === undefined) this.slots.set(key, { value });
    else slot.value = value;
  }

  /** False when the key was not there. */
  delete(key: K): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    slot.value = undefined;
    return this.slots.delete(key);
  }

  /** A snapshot of the keys, in insertion order. */
  keys(): K[] {
    return [...this.slots.keys()];
  }

  /** A snapshot of the values, in insertion order. */
  values(): V[] {
    return Array.from(this.slots.values(), (slot) => slot.value as V);
  }
}
