import { HealthIndicatorService } from '@nestjs/terminus';
import { RelayHealthIndicator } from './relay.health.js';
import { ShutdownState } from './shutdown-state.service.js';

describe('RelayHealthIndicator', () => {
  it('is up until shutdown begins, then down', () => {
    const state = new ShutdownState();
    const indicator = new RelayHealthIndicator(new HealthIndicatorService(), state);
    expect(indicator.isAcceptingWork()).toEqual({ relay: { status: 'up' } });
    state.onModuleDestroy();
    expect(indicator.isAcceptingWork()).toEqual({ relay: { status: 'down', message: 'shutting down' } });
  });
});
