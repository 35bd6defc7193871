import { randomBytes } from 'node:crypto';
import { TestHolder } from '../../support/test-holder.js';

/** A key holder that registers, then stops reading its socket. */
export async function stalledHolder(wsUrl: string): Promise<TestHolder> {
  const holder = await TestHolder.registered(wsUrl, 'silent');
  holder.pause();
  return holder;
}

/** A /sign body for a 64 KiB message that times out at once, so no pending limit applies. */
export function attackBody(publicKey: string): string {
  return JSON.stringify({ publicKey, message: randomBytes(64 * 1024).toString('base64'), timeoutMs: 1 });
}

/** A /sign body for a 64 KiB message with the default timeout. */
export function largeBody(publicKey: string): string {
  return JSON.stringify({ publicKey, message: randomBytes(64 * 1024).toString('base64') });
}

/** A /sign body for a small fresh message. */
export function honestBody(publicKey: string): string {
  return JSON.stringify({ publicKey, message: randomBytes(32).toString('base64') });
}

/** Events per whole second from `start`, for `seconds` seconds. */
export function perSecond(times: number[], start: number, seconds: number): number[] {
  const buckets = new Array<number>(seconds).fill(0);
  for (const t of times) {
    const second = Math.floor((t - start) / 1000);
    if (second >= 0 && second < seconds) buckets[second]++;
  }
  return buckets;
}
