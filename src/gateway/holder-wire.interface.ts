import type { ProtocolVersion } from '../protocol/v2-frames.js';
import type { HolderLink } from '../registry/holder-link.interface.js';
import type { NormalizedKey } from '../verification/signature-verifier.service.js';
import type { HandshakeFailure } from './handshake.js';
import type { HolderSession } from './holder-session.js';

/** What a wire needs of the gateway: registering an accepted key, refusing a failed handshake. */
export interface WireHost {
  /**
   * Registers `link` for `key`, replacing an older connection of the key. `announce` runs once the
   * link is registered and before a pending request is routed to it.
   */
  register(session: HolderSession, key: NormalizedKey, link: HolderLink, announce?: () => void): void;
  /** Ends a connection whose handshake failed, with 1008 and `reason`. */
  refuse(session: HolderSession, failure: HandshakeFailure, reason: string): void;
}

/** One connection's protocol: its handshake, then the frames of a registered holder. */
export interface HolderWire {
  readonly version: ProtocolVersion;
  /** Handles one text frame from the holder. */
  receive(text: string): void;
}
