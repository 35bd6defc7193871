import type { HolderSession } from './holder-session.js';

/**
 * Closes `session` and terminates its socket if the peer has not completed the close handshake
 * within `waitMs` (ws alone would wait 30 s). Resolves once the socket is closed.
 */
export function closeWithin(
  session: HolderSession,
  code: number,
  reason: string,
  waitMs: number,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      session.terminate(code);
      resolve();
    }, waitMs);
    timer.unref();
    session.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    session.close(code, reason);
  });
}
