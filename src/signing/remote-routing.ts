import type { ClusterParts } from '../cluster/cluster-parts.interface.js';
import type { ClaimOutcome, HolderLocation } from '../cluster/holder-directory.interface.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { CloseCode } from '../protocol/close-codes.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { ProtocolVersion } from '../protocol/v2-frames.js';
import type { HolderLink } from '../registry/holder-link.interface.js';
import { HolderLocations } from './holder-locations.js';
import { linkRequestOf, type PendingRequest, type PendingRequests } from './pending-requests.js';
import { RemoteLink, remoteInstanceOf } from './remote-link.js';
import type { SigningLifecycle } from './signing-lifecycle.js';

const NOT_CONNECTED = 'no holder is connected for that key';
const NOT_BACK = 'no holder of that key came back within the reconnect grace';
const UNAVAILABLE = 'the cluster is unreachable: only holders connected to this instance can sign';

/** The error of a request that needs the cluster while it cannot be reached. */
export function clusterUnavailable(): SigSocketError {
  return new SigSocketError(ErrorCode.ClusterUnavailable, UNAVAILABLE);
}

/** Why a holder's connection is closed with 4001. */
export const REPLACED = 'replaced by a newer connection for the same key';

/**
 * Acts on the directory's answer to a holder's claim: a lost claim closes the link with 4001;
 * a won one closes the replaced instance's link and tells every instance where the key is now.
 * False when the claim was lost.
 */
export function announceArrival(cluster: ClusterParts, link: HolderLink, outcome: ClaimOutcome): boolean {
  if (!outcome.won) {
    link.close(CloseCode.Replaced, REPLACED);
    return false;
  }
  const from = cluster.directory.instanceId;
  const { keyId, protocol } = link;
  if (outcome.replaced !== undefined) cluster.bus.send(outcome.replaced, { t: 'replaced', from, keyId });
  cluster.bus.broadcast({ t: 'arrived', from, keyId, protocol });
  return true;
}

/**
 * Sends a pending request to `link`; it waits there for an answer, or fails at once when the
 * link refuses it. Requests already on that link are left alone.
 */
export function deliverPendingTo(pending: PendingRequests, link: HolderLink): void {
  for (const request of pending.forKey(link.keyId)) {
    if (request.link === link) continue;
    try {
      link.deliver(linkRequestOf(request));
      request.link = link;
    } catch (error) {
      pending.remove(request);
      request.observer.error(error);
    }
  }
}

/**
 * The caller's side of requests for keys held on other instances: it finds the owner, sends the
 * request there through a {@link RemoteLink}, and fails what waits on an instance that is gone.
 */
export class RemoteRouting {
  private readonly links = new Map<string, RemoteLink>();
  /** Where keys were found, kept current by the bus. */
  readonly locations: HolderLocations;

  constructor(
    private readonly cluster: ClusterParts,
    private readonly pending: PendingRequests,
    private readonly lifecycle: SigningLifecycle,
  ) {
    this.locations = new HolderLocations(cluster.directory);
  }

  private get self(): string {
    return this.cluster.directory.instanceId;
  }

  /**
   * Adds a request for a key not held here, and delivers it once its owner is found. A key in
   * transit is waited for: being pending, the request is already delivered by the key's arrival
   * (an `arrived` message, or a holder proving itself here), wherever it happens.
   */
  open(request: PendingRequest): void {
    if (!this.cluster.health.available) throw clusterUnavailable();
    this.pending.add(request);
    this.find(request).catch(() => this.fail(request, clusterUnavailable()));
  }

  private async find(request: PendingRequest): Promise<void> {
    const { directory } = this.cluster;
    if (this.deliverTo(request, await this.locations.locate(request.keyId))) return;
    const transitMs = await directory.transitMs(request.keyId);
    // Looked up again after the transit check: a claim ends the transit as it writes the entry.
    if (this.deliverTo(request, await directory.locate(request.keyId))) return;
    if (transitMs === 0) {
      this.fail(request, new SigSocketError(ErrorCode.NotConnected, NOT_CONNECTED));
      return;
    }
    setTimeout(() => {
      if (this.isWaiting(request)) this.fail(request, new SigSocketError(ErrorCode.NotConnected, NOT_BACK));
    }, transitMs).unref();
  }

  /** True when the request needs no more looking for: it ended, was delivered, or is now. */
  private deliverTo(request: PendingRequest, where: HolderLocation | undefined): boolean {
    if (!this.isWaiting(request)) return true;
    if (where === undefined || where.instanceId === this.self) return false;
    deliverPendingTo(this.pending, this.linkTo(where.instanceId, request.keyId, where.protocol));
    return true;
  }

  private isWaiting(request: PendingRequest): boolean {
    return this.pending.get(request.id) === request && request.link === undefined;
  }

  /** The one link per instance and key that requests on it share. */
  linkTo(instanceId: string, keyId: string, protocol: ProtocolVersion): RemoteLink {
    const name = `${instanceId} ${keyId}`;
    let link = this.links.get(name);
    if (link === undefined) {
      link = new RemoteLink(instanceId, keyId, protocol, this.cluster.bus, this.self);
      this.links.set(name, link);
    }
    return link;
  }

  /** The key's holder left `instanceId`: what waits there gets the reconnect grace. */
  left(instanceId: string, keyId: string, elapsedMs = 0): void {
    const link = this.links.get(`${instanceId} ${keyId}`);
    if (link !== undefined) this.lifecycle.left(keyId, link, elapsedMs);
  }

  /** The link request `id` was last sent to, for answers that came from another instance. */
  linkOf(id: string): HolderLink | undefined {
    return this.pending.get(id)?.link;
  }

  /** Request `id` fails with `error`, unless it has ended already. */
  failById(id: string, error: SigSocketError): void {
    const request = this.pending.get(id);
    if (request !== undefined) this.fail(request, error);
  }

  /** Fails every request that waits on another instance, or for its owner to be found. */
  failAll(error: SigSocketError): void {
    for (const request of this.remoteRequests()) this.fail(request, error);
  }

  /**
   * Requests waiting on instances whose lease is gone get what is left of the grace, as if their
   * holders had left when the lease expired, up to `checkIntervalMs` ago; unused links are dropped.
   */
  async checkInstances(): Promise<void> {
    const waitedOn = new Map<string, Set<string>>();
    for (const request of this.remoteRequests()) {
      const instanceId = remoteInstanceOf(request.link);
      if (instanceId === undefined) continue;
      waitedOn.set(instanceId, (waitedOn.get(instanceId) ?? new Set()).add(request.keyId));
    }
    for (const [name, link] of this.links) {
      if (!waitedOn.get(link.instanceId)?.has(link.keyId)) this.links.delete(name);
    }
    if (waitedOn.size === 0 || !this.cluster.health.available) return;
    const live = await this.cluster.directory.liveInstances([...waitedOn.keys()]);
    for (const [instanceId, keys] of waitedOn) {
      if (live.has(instanceId)) continue;
      this.locations.instanceGone(instanceId);
      for (const keyId of keys) this.left(instanceId, keyId, this.cluster.checkIntervalMs);
    }
  }

  private remoteRequests(): PendingRequest[] {
    return this.pending
      .all()
      .filter((request) => request.link === undefined || remoteInstanceOf(request.link) !== undefined);
  }

  private fail(request: PendingRequest, error: SigSocketError): void {
    if (this.pending.remove(request)) request.observer.error(error);
  }
}
