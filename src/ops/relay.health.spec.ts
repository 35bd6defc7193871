import { HealthIndicatorService } from '@nestjs/terminus';
import type { SigningService } from '../signing/signing.service.js';
import { RelayHealthIndicator } from './relay.health.js';

describe('RelayHealthIndicator', () => {
  it('is up until the relay stops accepting work, then down', () => {
    const signing = { isAccepting: true };
    const indicator = new RelayHealthIndicator(new HealthIndicatorService(), signing as SigningService);
    expect(indicator.isAcceptingWork()).toEqual({ relay: { status: 'up' } });
    signing.isAccepting = false;
    expect(indicator.isAcceptingWork()).toEqual({ relay: { status: 'down', message: 'shutting down' } });
  });
});
