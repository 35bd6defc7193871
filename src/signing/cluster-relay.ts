import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CLUSTER_PARTS } from '../cluster/cluster.constants.js';
import type { ClusterMessage } from '../cluster/cluster-message.js';
import type { ClusterParts } from '../cluster/cluster-parts.interface.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { CloseCode } from '../protocol/close-codes.js';
import { RegistryService } from '../registry/registry.service.js';
import { answerOf } from './forwarded-requests.js';
import { HolderRouter } from './holder-router.service.js';
import { remoteInstanceOf } from './remote-link.js';
import { announceArrival, clusterUnavailable, REPLACED } from './remote-routing.js';

/**
 * Carries requests between instances: it hands the bus's messages to the router, looks for dead
 * instances every lease renewal, and re-registers the holders here when the store comes back.
 */
@Injectable()
export class ClusterRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Cluster');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(CLUSTER_PARTS) private readonly cluster: ClusterParts,
    private readonly router: HolderRouter,
    private readonly registry: RegistryService,
    private readonly metrics: SigSocketMetrics,
  ) {}

  private get self(): string {
    return this.cluster.directory.instanceId;
  }

  onModuleInit(): void {
    this.cluster.bus.subscribe((message) => {
      if (message.from !== this.self) this.receive(message);
    });
    this.cluster.health.onChange((up) => {
      if (this.cluster.health.clustered) this.metrics.cluster.recordStore(up);
      this.router.remote.locations.clear();
      if (up) void this.resync();
      else this.router.remote.failAll(clusterUnavailable());
    });
    if (this.cluster.health.clustered) this.metrics.cluster.recordStore(this.cluster.health.available);
    this.timer = setInterval(() => void this.check(), this.cluster.checkIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.cluster.close();
  }

  private receive(message: ClusterMessage): void {
    switch (message.t) {
      case 'deliver': {
        this.metrics.cluster.recordHop(Date.now() - message.sentAt);
        const link = this.registry.get(message.keyId);
        if (link === undefined) {
          this.cluster.bus.send(message.from, { t: 'left', from: this.self, keyId: message.keyId });
        } else {
          this.router.forwarded.deliver(link, message);
        }
        return;
      }
      case 'cancel':
        return this.router.forwarded.cancel(message.id, message.from, message.reason);
      case 'answer':
      case 'decline':
        return this.settle(message);
      case 'failed':
        if (this.isWaitingOn(message.id, message.from)) {
          this.metrics.cluster.recordRemoteDelivery('failed');
          this.router.remote.failById(message.id, new SigSocketError(message.code, message.message));
        }
        return;
      case 'left':
        this.router.remote.locations.departed(message.keyId, message.from);
        return this.router.remote.left(message.from, message.keyId);
      case 'departed':
        return this.router.remote.locations.departed(message.keyId, message.from);
      case 'arrived':
        this.router.remote.locations.arrived(message.keyId, {
          instanceId: message.from,
          protocol: message.protocol,
        });
        return this.router.redeliver(
          this.router.remote.linkTo(message.from, message.keyId, message.protocol),
        );
      case 'replaced':
        this.registry.get(message.keyId)?.close(CloseCode.Replaced, REPLACED);
        return;
    }
  }

  /** A holder elsewhere answered or declined: the request ends here, as if its link were local. */
  private settle(message: Extract<ClusterMessage, { t: 'answer' | 'decline' }>): void {
    const link = this.router.remote.linkOf(message.id);
    if (link === undefined || remoteInstanceOf(link) !== message.from) return;
    if (message.t === 'decline') {
      this.metrics.cluster.recordRemoteDelivery('declined');
      this.router.decline(link, message.id, message.reason);
      return;
    }
    const answer = answerOf(message.signature);
    if (answer === undefined) return;
    const outcome = this.router.answer(link, message.id, answer);
    if (outcome !== 'forwarded') this.metrics.cluster.recordRemoteDelivery(outcome);
  }

  private isWaitingOn(id: string, instanceId: string): boolean {
    return remoteInstanceOf(this.router.remote.linkOf(id)) === instanceId;
  }

  /** Requests on either side whose other instance is gone stop waiting for it. */
  private async check(): Promise<void> {
    if (!this.cluster.health.clustered || !this.cluster.health.available) return;
    try {
      await this.router.remote.checkInstances();
      const callers = this.router.forwarded.callerInstances();
      if (callers.length > 0) {
        this.router.forwarded.sweep(await this.cluster.directory.liveInstances(callers));
      }
    } catch (error) {
      this.logger.debug(`instance check failed: ${(error as Error).message}`);
    }
  }

  /** The store is back: the holders here are registered again, and the others told of them. */
  private async resync(): Promise<void> {
    try {
      const outcomes = await this.cluster.directory.resync(this.registry.localKeys());
      for (const [keyId, outcome] of outcomes) {
        const link = this.registry.get(keyId);
        if (link !== undefined) announceArrival(this.cluster, link, outcome);
      }
      this.logger.log(`re-registered ${outcomes.size} holder(s) after the Redis connection came back`);
    } catch (error) {
      this.logger.warn(`re-registration failed: ${(error as Error).message}`);
    }
  }
}
