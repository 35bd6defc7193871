import type { ClusterBus } from '../cluster/cluster-bus.interface.js';
import { encodeBase64 } from '../protocol/base64.js';
import type { ProtocolVersion } from '../protocol/v2-frames.js';
import type { CancelReason, HolderLink, LinkRequest } from '../registry/holder-link.interface.js';

/**
 * A holder connected to another instance, as the caller's instance sees it: requests and cancels
 * go over the bus to the owner, which delivers them to its own link.
 */
export class RemoteLink implements HolderLink {
  readonly id: string;
  readonly publicKey: Uint8Array;

  constructor(
    readonly instanceId: string,
    readonly keyId: string,
    readonly protocol: ProtocolVersion,
    private readonly bus: ClusterBus,
    private readonly self: string,
  ) {
    this.id = `@${instanceId.slice(0, 8)}`;
    this.publicKey = Buffer.from(keyId, 'hex');
  }

  deliver(request: LinkRequest): void {
    const { id, message, deadline, caller } = request;
    this.bus.send(this.instanceId, {
      t: 'deliver',
      from: this.self,
      id,
      keyId: this.keyId,
      message: encodeBase64(message),
      deadline,
      ...(caller === undefined ? {} : { caller }),
      sentAt: Date.now(),
    });
  }

  cancel(id: string, reason: CancelReason): void {
    this.bus.send(this.instanceId, { t: 'cancel', from: this.self, id, reason });
  }

  /** The owner closes the connection; nothing to close here. */
  close(): void {}
}

/** Whether a link is a {@link RemoteLink}, and so on which instance. */
export function remoteInstanceOf(link: HolderLink | undefined): string | undefined {
  return link instanceof RemoteLink ? link.instanceId : undefined;
}
