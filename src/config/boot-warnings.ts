import type { Environment } from './environment.js';
import { isLoopbackHost } from './loopback.js';

/** Logged at boot when holders from elsewhere can connect and their proofs are bound loosely. */
export const PUBLIC_URLS_WARNING =
  'HOST is not a loopback address and PUBLIC_URLS is empty: a v2 proof of possession is then checked ' +
  'against the Host header, which a relaying server can forge. Set PUBLIC_URLS to the public WebSocket ' +
  'URLs of this server (see docs/PROTOCOL.md).';

/** Warnings about a configuration that works but is weaker than it should be. */
export function bootWarnings(env: Pick<Environment, 'HOST' | 'PUBLIC_URLS'>): string[] {
  return !isLoopbackHost(env.HOST) && env.PUBLIC_URLS.length === 0 ? [PUBLIC_URLS_WARNING] : [];
}
