import type { ProtocolVersion } from '../protocol/v2-frames.js';

/** Where a key's holder is connected: the instance, and the protocol the holder speaks there. */
export interface HolderLocation {
  readonly instanceId: string;
  readonly protocol: ProtocolVersion;
}

/** What became of a claim. */
export interface ClaimOutcome {
  /** False when a later proven registration on another live instance holds the key. */
  readonly won: boolean;
  /** The live instance whose registration this claim replaced, if any. */
  readonly replaced?: string;
}

/**
 * Key → the instance its holder is connected to, with a lease per instance: entries of an
 * instance whose lease has expired do not count.
 */
export interface HolderDirectory {
  /** This instance's id, unique for the process's life. */
  readonly instanceId: string;
  /**
   * A holder of `keyId` proved itself here just now. Memory answers at once, so that one
   * instance registers its holders synchronously, as it always has.
   */
  claim(keyId: string, protocol: ProtocolVersion): ClaimOutcome | Promise<ClaimOutcome>;
  /** This instance no longer holds the key; another instance's entry is left alone. */
  release(keyId: string): Promise<void>;
  /** The live instance holding the key, if any. */
  locate(keyId: string): Promise<HolderLocation | undefined>;
  /**
   * This instance is going away and closes the holders of these keys, which reconnect elsewhere:
   * each key is in transit for `graceMs`, or until a holder of it is claimed again.
   */
  markInTransit(keyIds: readonly string[], graceMs: number): Promise<void>;
  /** How long the key stays in transit, in ms; 0 when it is not. */
  transitMs(keyId: string): Promise<number>;
  /** Holders on every live instance. */
  holderCount(): Promise<number>;
  /** Live instances, this one included. */
  instanceCount(): Promise<number>;
  /** Which of these instances still hold a lease. */
  liveInstances(instanceIds: readonly string[]): Promise<Set<string>>;
  /**
   * After the shared store came back: releases the keys that left meanwhile and claims again
   * every key held here (`local`: key → protocol), each with the time it was first proven.
   */
  resync(local: ReadonlyMap<string, ProtocolVersion>): Promise<Map<string, ClaimOutcome>>;
  /** Removes this instance's lease and entries. */
  close(): Promise<void>;
}
