import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SigningService } from '../signing/signing.service.js';

/** The relay takes new work until shutdown begins: the same flag that answers 503 `shutting_down`. */
@Injectable()
export class RelayHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly signing: SigningService,
  ) {}

  isAcceptingWork(key = 'relay'): HealthIndicatorResult {
    const indicator = this.indicators.check(key);
    return this.signing.isAccepting ? indicator.up() : indicator.down({ message: 'shutting down' });
  }
}
