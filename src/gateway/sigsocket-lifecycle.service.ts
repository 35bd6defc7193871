import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { HolderRouter } from '../signing/holder-router.service.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { SigSocketGateway } from './sigsocket.gateway.js';

/**
 * Graceful shutdown, in order: stop accepting requests and connections, let pending requests
 * finish for `shutdownGraceMs`, fail the rest with `shutting_down`, then close holders with 1001.
 */
@Injectable()
export class SigSocketLifecycle implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(SigSocketLifecycle.name);

  constructor(
    @Inject(SIGSOCKET_OPTIONS) private readonly options: ResolvedSigSocketOptions,
    private readonly router: HolderRouter,
    private readonly gateway: SigSocketGateway,
  ) {}

  /** The first shutdown hook: from here on readiness fails and new work gets 503. */
  onModuleDestroy(): void {
    this.router.stopAccepting();
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const pending = this.router.pendingCount;
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}; draining ${pending} pending request(s)`);
    await this.router.drain(this.options.shutdownGraceMs);
    await this.gateway.closeAll();
    this.logger.log('drained; holders closed');
  }
}
