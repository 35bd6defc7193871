import { HealthIndicatorService } from '@nestjs/terminus';
import type { SigningService } from '../signing/signing.service.js';
import { RelayHealthIndicator } from './relay.health.js';

describe('RelayHealthIndicator', () => {
  it('is up until shutdown begins, then down, though the relay may still take work', () => {
    const signing = { isReady: true, isAccepting: true };
    const indicator = new RelayHealthIndicator(new HealthIndicatorService(), signing as SigningService);
    expect(indicator.isReady()).toEqual({ relay: { status: 'up' } });
    signing.isReady = false;
    expect(indicator.isReady()).toEqual({ relay: { status: 'down', message: 'shutting down' } });
  });
});
