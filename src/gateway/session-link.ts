import type { HolderConnection } from '../registry/holder-connection.interface.js';
import type { CancelReason, HolderLink, LinkRequest } from '../registry/holder-link.interface.js';
import type { ProtocolVersion } from '../protocol/v2-frames.js';
import type { HolderOutbox } from '../signing/holder-outbox.js';

/** The session under a link, once its key is accepted. */
export type LinkSession = HolderConnection & Pick<HolderLink, 'keyId' | 'publicKey' | 'close'>;

/** What every protocol's link shares: its session's identity, and closing it. */
export abstract class SessionLink implements HolderLink {
  abstract readonly protocol: ProtocolVersion;

  constructor(
    readonly session: LinkSession,
    protected readonly outbox: HolderOutbox,
  ) {}

  get id(): string {
    return this.session.id;
  }

  get keyId(): string {
    return this.session.keyId;
  }

  get publicKey(): Uint8Array {
    return this.session.publicKey;
  }

  abstract deliver(request: LinkRequest): void;
  abstract cancel(id: string, reason: CancelReason): void;

  close(code: number, reason: string): void {
    this.session.close(code, reason);
  }
}
