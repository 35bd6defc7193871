import type { HolderDirectory, HolderLocation } from '../cluster/holder-directory.interface.js';

/** Enough for every key a busy instance signs for; the oldest entry goes first beyond it. */
const MAX_ENTRIES = 50_000;

/**
 * Where keys held on other instances were found, so that a repeated request skips the directory's
 * round trip. The bus keeps it current: a holder's arrival elsewhere moves its entry, its
 * departure (or an owner's `left`) drops it, and it is emptied when the shared store comes or
 * goes, since messages may have been missed meanwhile. A lookup that any of these overtook is
 * not kept.
 */
export class HolderLocations {
  private readonly known = new Map<string, HolderLocation>();
  private changes = 0;

  constructor(private readonly directory: HolderDirectory) {}

  get size(): number {
    return this.known.size;
  }

  locate(keyId: string): Promise<HolderLocation | undefined> {
    const known = this.known.get(keyId);
    if (known !== undefined) return Promise.resolve(known);
    const changes = this.changes;
    return this.directory.locate(keyId).then((where) => {
      if (where !== undefined && where.instanceId !== this.directory.instanceId && changes === this.changes) {
        this.remember(keyId, where);
      }
      return where;
    });
  }

  /** The key's holder proved itself on `instanceId`: an entry for the key moves there. */
  arrived(keyId: string, location: HolderLocation): void {
    this.changes++;
    if (this.known.has(keyId)) this.known.set(keyId, location);
  }

  /** The key's holder is no longer on `instanceId`. */
  departed(keyId: string, instanceId: string): void {
    this.changes++;
    if (this.known.get(keyId)?.instanceId === instanceId) this.known.delete(keyId);
  }

  /** `instanceId` is gone: none of its entries holds. */
  instanceGone(instanceId: string): void {
    this.changes++;
    for (const [keyId, where] of this.known) {
      if (where.instanceId === instanceId) this.known.delete(keyId);
    }
  }

  clear(): void {
    this.changes++;
    this.known.clear();
  }

  private remember(keyId: string, where: HolderLocation): void {
    if (this.known.size >= MAX_ENTRIES) {
      const oldest = this.known.keys().next();
      if (oldest.done !== true) this.known.delete(oldest.value);
    }
    this.known.set(keyId, where);
  }
}
