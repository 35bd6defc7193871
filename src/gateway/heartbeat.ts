import { Logger } from '@nestjs/common';
import type { HolderSession } from './holder-session.js';

/**
 * Pings every connection each interval; one that has not answered the previous ping by the next
 * sweep is terminated.
 */
export class Heartbeat {
  private readonly logger = new Logger('SigSocketGateway');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly sessions: Iterable<HolderSession>,
  ) {}

  start(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A pong marks a connection alive until the next sweep. */
  sweep(): void {
    for (const session of this.sessions) {
      if (!session.alive) {
        const message = `[${session.id}] missed a heartbeat; terminating`;
        // Anonymous connections are logged at debug level only, so that they cannot flood the log.
        if (session.introduced) this.logger.log(message);
        else this.logger.debug(message);
        session.socket.terminate();
        continue;
      }
      session.alive = false;
      session.socket.ping();
    }
  }
}
