import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { CLUSTER_PARTS } from '../cluster/cluster.constants.js';
import type { ClusterParts } from '../cluster/cluster-parts.interface.js';
import { HttpDrain } from '../connections/http-drain.js';
import { RegistryService } from '../registry/registry.service.js';
import { HolderRouter } from '../signing/holder-router.service.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { SigSocketGateway } from './sigsocket.gateway.js';

/**
 * Graceful shutdown, in order:
 * 1. readiness fails;
 * 2. new requests and connections are still served for `shutdownDelayMs`, while load balancers notice;
 * 3. the HTTP listener and idle sockets close, new requests get 503 `shutting_down` and WebSocket
 *    upgrades 503 (SigSocketWsAdapter);
 * 4. pending requests may finish for `shutdownGraceMs`, the rest fail with `shutting_down`;
 * 5. (cluster mode) the holders' keys are marked in transit for `reconnectGraceMs`: a new request
 *    for one, anywhere, waits for its holder to come back instead of failing with `not_connected`;
 * 6. holders are closed with 1001, so that they reconnect elsewhere;
 * 7. (cluster mode) the instance's leases are removed.
 */
@Injectable()
export class SigSocketLifecycle
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger(SigSocketLifecycle.name);
  private readonly http = new HttpDrain();

  constructor(
    @Inject(SIGSOCKET_OPTIONS) private readonly options: ResolvedSigSocketOptions,
    private readonly router: HolderRouter,
    private readonly gateway: SigSocketGateway,
    private readonly registry: RegistryService,
    @Inject(CLUSTER_PARTS) private readonly cluster: ClusterParts,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    // An application context without HTTP (a worker, say) has no server to drain.
    const server = this.adapterHost?.httpAdapter?.getHttpServer() as Server | undefined;
    if (server !== undefined) this.http.attach(server);
  }

  /** Step 1, the first shutdown hook. */
  onModuleDestroy(): void {
    this.router.lifecycle.leave();
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const { shutdownDelayMs, shutdownGraceMs } = this.options;
    this.logger.log(
      `shutting down${signal ? ` on ${signal}` : ''}: not ready; serving for ${shutdownDelayMs} ms more`,
    );
    await delay(shutdownDelayMs);
    this.router.stopAccepting();
    this.http.begin();
    this.logger.log(`draining ${this.router.pendingCount} pending request(s)`);
    await this.router.drain(shutdownGraceMs);
    await this.markInTransit();
    await this.gateway.closeAll();
    await this.removeLeases();
    this.logger.log('drained; holders closed');
  }

  /** Step 5; requests from other instances that wait here are moved by the reconnect grace. */
  private async markInTransit(): Promise<void> {
    const keys = [...this.registry.localKeys().keys()];
    if (keys.length === 0 || !this.cluster.health.available) return;
    try {
      await this.cluster.directory.markInTransit(keys, this.options.reconnectGraceMs);
      this.logger.log(`${keys.length} holder key(s) in transit for ${this.options.reconnectGraceMs} ms`);
    } catch (error) {
      this.logger.warn(`holder keys not marked in transit: ${(error as Error).message}`);
    }
  }

  /** Step 7: the other instances stop counting this one and its holders at once. */
  private async removeLeases(): Promise<void> {
    await this.cluster.directory.close().catch((error: Error) => {
      this.logger.warn(`leases not removed: ${error.message}`);
    });
  }
}

function delay(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
