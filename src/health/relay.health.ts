import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ShutdownState } from './shutdown-state.service.js';

/** The relay takes new work until shutdown begins. */
@Injectable()
export class RelayHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
  ) {}

  isAcceptingWork(key = 'relay'): HealthIndicatorResult {
    const indicator = this.indicators.check(key);
    return this.shutdown.shuttingDown ? indicator.down({ message: 'shutting down' }) : indicator.up();
  }
}
