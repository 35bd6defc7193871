import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SigningService } from '../signing/signing.service.js';

/**
 * The relay is ready until shutdown begins. It may still take new work for `SHUTDOWN_DELAY_MS`,
 * while load balancers notice, before it answers 503 `shutting_down`.
 */
@Injectable()
export class RelayHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly signing: SigningService,
  ) {}

  isReady(key = 'relay'): HealthIndicatorResult {
    const indicator = this.indicators.check(key);
    return this.signing.isReady ? indicator.up() : indicator.down({ message: 'shutting down' });
  }
}
