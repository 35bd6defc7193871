import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';

/**
 * Flips to "shutting down" when the app starts to close. The module that provides it imports
 * SigSocketModule, so Nest destroys it first: readiness fails before the gateway drains.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy {
  private readonly logger = new Logger(ShutdownState.name);
  private closing = false;

  get shuttingDown(): boolean {
    return this.closing;
  }

  onModuleDestroy(): void {
    this.closing = true;
    this.logger.log('shutting down: readiness now reports 503');
  }
}
